//! Packs the file krilla wrote into a smaller one with the same objects (PDF 1.5 compression,
//! which PDF/A-2 allows): every object that is not a stream goes into compressed object
//! streams, the cross-reference table becomes a cross-reference stream, and the streams krilla
//! was told to leave raw (page contents and ToUnicode CMaps) are deflated here with one
//! reused compressor. The XMP metadata stream stays unfiltered, as PDF/A wants it, and so do
//! CFF font programs (vendor/krilla stores them: deflate shrinks them by only ~10 %) and
//! streams of a few bytes.
//!
//! krilla 0.8 writes neither object streams nor cross-reference streams. For the seed they save
//! about 45 KB: its structure tree, outline and font dictionaries are ~420 small objects whose
//! text compresses well together, and a 20-byte table entry per object becomes ~3 bytes.
//!
//! The reader is strict and only as general as krilla's output needs: a classic cross-reference
//! table, direct stream lengths, generation 0. The input is the serializer's own output, so a
//! failure here is a bug; [`pack`] then reports it and the caller keeps the unpacked file.

use flate2::{Compress, Compression, FlushCompress, Status};
use std::fmt::Write as _;

/// At most this many objects go into one object stream: readers decompress a whole stream to
/// reach one of its objects, and one stream for a report's ~400 small objects compresses best
/// (the seed: 7.6 KB, against 8.2 KB in streams of 200).
const OBJECTS_PER_STREAM: usize = 1000;

/// Why a file could not be packed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot pack the PDF at byte {at}: {what}")]
pub(crate) struct PackError {
    /// Where reading stopped.
    pub at: usize,
    /// What was expected.
    pub what: &'static str,
}

fn fail<T>(at: usize, what: &'static str) -> Result<T, PackError> {
    Err(PackError { at, what })
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// A cursor over the file's bytes.
struct Reader<'a> {
    b: &'a [u8],
}

impl Reader<'_> {
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() {
            if is_ws(self.b[i]) {
                i += 1;
            } else if self.b[i] == b'%' {
                while i < self.b.len() && !matches!(self.b[i], b'\n' | b'\r') {
                    i += 1;
                }
            } else {
                break;
            }
        }
        i
    }

    fn starts(&self, i: usize, s: &[u8]) -> bool {
        self.b.get(i..i + s.len()) == Some(s)
    }

    /// End of a regular token (number, keyword, name body).
    fn token_end(&self, mut i: usize) -> usize {
        while i < self.b.len() && !is_ws(self.b[i]) && !is_delim(self.b[i]) {
            i += 1;
        }
        i
    }

    fn integer(&self, i: usize) -> Option<(u64, usize)> {
        let end = self.token_end(i);
        let s = std::str::from_utf8(self.b.get(i..end)?).ok()?;
        Some((s.parse().ok()?, end))
    }

    /// The end of the value starting at `i` (a reference `n g R` counts as one value).
    fn value_end(&self, i: usize) -> Result<usize, PackError> {
        let Some(&c) = self.b.get(i) else {
            return fail(i, "a value");
        };
        match c {
            b'<' if self.starts(i, b"<<") => {
                let mut j = i + 2;
                loop {
                    j = self.skip_ws(j);
                    if self.starts(j, b">>") {
                        return Ok(j + 2);
                    }
                    j = self.value_end(j)?;
                }
            }
            b'<' => match self.b[i..].iter().position(|&x| x == b'>') {
                Some(k) => Ok(i + k + 1),
                None => fail(i, "the end of a hex string"),
            },
            b'[' => {
                let mut j = i + 1;
                loop {
                    j = self.skip_ws(j);
                    if self.b.get(j) == Some(&b']') {
                        return Ok(j + 1);
                    }
                    j = self.value_end(j)?;
                }
            }
            b'(' => {
                let (mut depth, mut j) = (0usize, i);
                while j < self.b.len() {
                    match self.b[j] {
                        b'\\' => j += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                return Ok(j + 1);
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                fail(i, "the end of a literal string")
            }
            b'/' => Ok(self.token_end(i + 1)),
            b')' | b'>' | b']' | b'{' | b'}' => fail(i, "a value"),
            _ => {
                let end = self.token_end(i);
                if end == i {
                    return fail(i, "a value");
                }
                // `n g R`
                if self.integer(i).is_some() {
                    let g = self.skip_ws(end);
                    if let Some((_, gend)) = self.integer(g) {
                        let r = self.skip_ws(gend);
                        if self.b.get(r) == Some(&b'R') && self.token_end(r) == r + 1 {
                            return Ok(r + 1);
                        }
                    }
                }
                Ok(end)
            }
        }
    }

    /// The entries of the dictionary at `i`: (key without the slash, value bytes).
    fn dict_entries(&self, i: usize) -> Result<Vec<Entry<'_>>, PackError> {
        if !self.starts(i, b"<<") {
            return fail(i, "a dictionary");
        }
        let mut out = Vec::new();
        let mut j = i + 2;
        loop {
            j = self.skip_ws(j);
            if self.starts(j, b">>") {
                return Ok(out);
            }
            if self.b.get(j) != Some(&b'/') {
                return fail(j, "a name key");
            }
            let kend = self.token_end(j + 1);
            let v = self.skip_ws(kend);
            let vend = self.value_end(v)?;
            out.push((&self.b[j + 1..kend], &self.b[v..vend]));
            j = vend;
        }
    }
}

/// A dictionary entry: the key without its slash, and the value's bytes.
type Entry<'a> = (&'a [u8], &'a [u8]);

/// One object of the input.
enum Body<'a> {
    /// Not a stream: the value's bytes.
    Plain(&'a [u8]),
    /// A stream: its dictionary's entries and raw data.
    Stream {
        entries: Vec<Entry<'a>>,
        data: &'a [u8],
    },
}

fn lookup<'a>(entries: &[(&[u8], &'a [u8])], key: &[u8]) -> Option<&'a [u8]> {
    entries.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Deflates with one compressor reused for every stream of the file (its window and tables are
/// allocated once).
struct Deflater(Compress);

impl Deflater {
    fn new(level: u32) -> Deflater {
        Deflater(Compress::new(Compression::new(level), true))
    }

    fn deflate(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), PackError> {
        self.0.reset();
        out.clear();
        out.reserve(data.len() / 2 + 64);
        loop {
            let consumed = self.0.total_in() as usize;
            let status = self
                .0
                .compress_vec(&data[consumed..], out, FlushCompress::Finish);
            match status {
                Ok(Status::StreamEnd) => return Ok(()),
                Ok(_) => out.reserve(out.capacity().max(64)),
                Err(_) => return fail(consumed, "deflate to succeed"),
            }
        }
    }
}

/// Below this many bytes in all, [`deflate_all`] stays on the calling thread (a thread costs
/// about what deflating 10 KB does).
const PARALLEL_FROM: usize = 64 * 1024;

/// Deflates each of `jobs`, in order. With enough data the jobs are cut in two runs of about
/// equal size, the second deflated on another thread with its own compressor; each stream's
/// bytes depend only on its data, so the output does not depend on the threads. Without
/// `threads`, all on the calling thread.
fn deflate_all(jobs: &[&[u8]], threads: bool) -> Result<Vec<Vec<u8>>, PackError> {
    let run = |jobs: &[&[u8]]| -> Result<Vec<Vec<u8>>, PackError> {
        let mut deflater = Deflater::new(LEVEL);
        jobs.iter()
            .map(|data| {
                let mut out = Vec::new();
                deflater.deflate(data, &mut out).map(|()| out)
            })
            .collect()
    };
    let total: usize = jobs.iter().map(|j| j.len()).sum();
    if !threads || total < PARALLEL_FROM || jobs.len() < 2 {
        return run(jobs);
    }
    let mut seen = 0;
    let cut = jobs
        .iter()
        .position(|j| {
            seen += j.len();
            seen * 2 >= total
        })
        .map_or(jobs.len() / 2, |i| (i + 1).min(jobs.len() - 1));
    let (first, second) = jobs.split_at(cut);
    std::thread::scope(|scope| {
        let second = scope.spawn(|| run(second));
        let mut first = run(first)?;
        first.extend(
            second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?,
        );
        Ok(first)
    })
}

/// Compression level for page contents, CMaps, object and cross-reference streams. Measured
/// on the seed (zlib-rs, callgrind): level 3 writes 1.9 KB more than level 6 (+0.8 % of the
/// file) for 3.2 M fewer instructions (a fifth of the packing); level 2 another 2.0 KB for
/// 2.5 M; level 1 (static Huffman codes) about 10 KB more.
const LEVEL: u32 = 3;

/// Streams shorter than this are left unfiltered (CIDSets: a few dozen bytes, which deflate's
/// header and code tables would barely shrink).
const STORED_BELOW: usize = 64;

/// Rewrites krilla's output with object streams, a cross-reference stream and deflated content
/// streams. Object numbers, stream data and every object's value are kept; the output is a
/// function of the input only.
///
/// # Errors
///
/// [`PackError`] when the input is not shaped like krilla's output.
pub(crate) fn pack(pdf: &[u8], threads: bool) -> Result<Vec<u8>, PackError> {
    let r = Reader { b: pdf };
    // trailer: startxref → classic table
    let Some(sx) = find_last(pdf, b"startxref") else {
        return fail(pdf.len(), "startxref");
    };
    let Some((xref_at, _)) = r.integer(r.skip_ws(sx + 9)) else {
        return fail(sx, "the cross-reference offset");
    };
    let mut i = xref_at as usize;
    if !r.starts(i, b"xref") {
        return fail(i, "a cross-reference table");
    }
    i = r.skip_ws(i + 4);
    let Some((first, e)) = r.integer(i) else {
        return fail(i, "the first object number");
    };
    let Some((count, e)) = r.integer(r.skip_ws(e)) else {
        return fail(e, "the object count");
    };
    if first != 0 || count == 0 || count > 8_388_607 {
        return fail(i, "one subsection starting at object 0");
    }
    let count = count as usize;
    i = r.skip_ws(e);
    let mut offsets = vec![None; count];
    for (n, slot) in offsets.iter_mut().enumerate() {
        let row = pdf.get(i..i + 20).unwrap_or_default();
        if row.len() < 18 {
            return fail(i, "a cross-reference entry");
        }
        let off: u64 = std::str::from_utf8(&row[..10])
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or_else(|| fail(i, "an entry offset"), Ok)?;
        if row[17] == b'n' {
            if &row[11..16] != b"00000" {
                return fail(i, "generation 0");
            }
            *slot = Some(off as usize);
        } else if n != 0 && row[17] != b'f' {
            return fail(i, "an n or f entry");
        }
        i += 20;
    }
    i = r.skip_ws(i);
    if !r.starts(i, b"trailer") {
        return fail(i, "the trailer");
    }
    let trailer = r.dict_entries(r.skip_ws(i + 7))?;
    let root = lookup(&trailer, b"Root").map_or_else(|| fail(i, "/Root"), Ok)?;
    let info = lookup(&trailer, b"Info");
    let id = lookup(&trailer, b"ID");

    // the objects
    let mut bodies: Vec<Option<Body>> = Vec::with_capacity(count);
    let mut header_end = pdf.len();
    for (n, off) in offsets.iter().enumerate() {
        let Some(off) = *off else {
            bodies.push(None);
            continue;
        };
        header_end = header_end.min(off);
        let head = format!("{n} 0 obj");
        if !r.starts(off, head.as_bytes()) {
            return fail(off, "an object header");
        }
        let v = r.skip_ws(off + head.len());
        let vend = r.value_end(v)?;
        let k = r.skip_ws(vend);
        if r.starts(k, b"endobj") {
            bodies.push(Some(Body::Plain(&pdf[v..vend])));
        } else if r.starts(k, b"stream") {
            let entries = r.dict_entries(v)?;
            let len = lookup(&entries, b"Length")
                .and_then(|l| std::str::from_utf8(l).ok())
                .and_then(|l| l.parse::<usize>().ok())
                .map_or_else(|| fail(v, "a direct /Length"), Ok)?;
            let mut d = k + 6;
            if r.starts(d, b"\r\n") {
                d += 2;
            } else if r.starts(d, b"\n") {
                d += 1;
            } else {
                return fail(d, "an end of line after stream");
            }
            let Some(data) = pdf.get(d..d + len) else {
                return fail(d, "stream data of /Length bytes");
            };
            let end = r.skip_ws(d + len);
            if !r.starts(end, b"endstream") || !r.starts(r.skip_ws(end + 9), b"endobj") {
                return fail(end, "endstream endobj");
            }
            bodies.push(Some(Body::Stream { entries, data }));
        } else {
            return fail(k, "endobj or stream");
        }
    }
    if !pdf.starts_with(b"%PDF-") || header_end == pdf.len() {
        return fail(0, "a PDF header");
    }

    // xref entries: (type, field 2, field 3)
    let mut xref: Vec<(u8, u64, u64)> = vec![(0, 0, 65535); count];
    // which streams are deflated here
    let raw: Vec<bool> = bodies
        .iter()
        .map(|body| match body {
            Some(Body::Stream { entries, data }) => {
                lookup(entries, b"Filter").is_none()
                    && lookup(entries, b"Type") != Some(b"/Metadata".as_slice())
                    && lookup(entries, b"Subtype") != Some(b"/CIDFontType0C".as_slice())
                    && data.len() >= STORED_BELOW
            }
            _ => false,
        })
        .collect();
    // everything that is not a stream goes into object streams: (object count, index, data)
    let plain: Vec<(usize, &[u8])> = bodies
        .iter()
        .enumerate()
        .filter_map(|(n, b)| match b {
            Some(Body::Plain(v)) => Some((n, *v)),
            _ => None,
        })
        .collect();
    let mut object_streams = Vec::new();
    for (stream_at, chunk) in plain.chunks(OBJECTS_PER_STREAM).enumerate() {
        let stream_no = count + stream_at;
        let (mut index, mut body) = (String::new(), Vec::new());
        for (k, (n, v)) in chunk.iter().enumerate() {
            if k > 0 {
                index.push(' ');
                body.push(b'\n');
            }
            let _ = write!(index, "{n} {}", body.len());
            body.extend_from_slice(v);
            xref[*n] = (2, stream_no as u64, k as u64);
        }
        index.push('\n');
        let mut all = Vec::with_capacity(index.len() + body.len());
        all.extend_from_slice(index.as_bytes());
        all.extend_from_slice(&body);
        object_streams.push((chunk.len(), index.len(), all));
    }
    // deflate the streams and the object streams, on two threads when there is enough of it
    let jobs: Vec<&[u8]> = bodies
        .iter()
        .zip(&raw)
        .filter_map(|(body, &raw)| match body {
            Some(Body::Stream { data, .. }) if raw => Some(*data),
            _ => None,
        })
        .chain(object_streams.iter().map(|(_, _, all)| all.as_slice()))
        .collect();
    let mut deflated = deflate_all(&jobs, threads)?.into_iter();

    let mut out = Vec::with_capacity(pdf.len());
    out.extend_from_slice(&pdf[..header_end]);
    // streams stay at the top level, in their order
    for (n, body) in bodies.iter().enumerate() {
        let Some(Body::Stream { entries, data }) = body else {
            continue;
        };
        xref[n] = (1, out.len() as u64, 0);
        let packed;
        let data: &[u8] = if raw[n] {
            packed = deflated
                .next()
                .map_or_else(|| fail(0, "a deflated stream"), Ok)?;
            &packed
        } else {
            data
        };
        let _ = write!(ByteWriter(&mut out), "{n} 0 obj\n<<");
        for (k, v) in entries {
            if *k != b"Length" {
                out.push(b'/');
                out.extend_from_slice(k);
                if !matches!(v.first(), Some(b'/' | b'<' | b'[' | b'(')) {
                    out.push(b' ');
                }
                out.extend_from_slice(v);
            }
        }
        if raw[n] {
            out.extend_from_slice(b"/Filter/FlateDecode");
        }
        let _ = write!(ByteWriter(&mut out), "/Length {}>>\nstream\n", data.len());
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    for (stream_at, (objects, first, _)) in object_streams.iter().enumerate() {
        let stream_no = count + stream_at;
        let packed = deflated
            .next()
            .map_or_else(|| fail(0, "a deflated object stream"), Ok)?;
        xref.push((1, out.len() as u64, 0));
        let _ = write!(
            ByteWriter(&mut out),
            "{stream_no} 0 obj\n<</Type/ObjStm/N {objects}/First {first}/Filter/FlateDecode/Length {}>>\nstream\n",
            packed.len()
        );
        out.extend_from_slice(&packed);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    let next = count + object_streams.len();
    let mut deflater = Deflater::new(LEVEL);
    let mut packed = Vec::new();
    // the cross-reference stream, with its own entry; PNG "Up" rows compress the offsets well
    let xref_no = next;
    let xref_at = out.len() as u64;
    xref.push((1, xref_at, 0));
    let w2 = bytes_for(xref.iter().map(|e| e.1).max().unwrap_or(0));
    let w3 = bytes_for(xref.iter().map(|e| e.2).max().unwrap_or(0));
    let columns = 1 + w2 + w3;
    let mut rows = Vec::with_capacity(xref.len() * (columns + 1));
    let mut prev = vec![0u8; columns];
    let mut row = vec![0u8; columns];
    for &(t, f2, f3) in &xref {
        row[0] = t;
        put_be(&mut row[1..1 + w2], f2);
        put_be(&mut row[1 + w2..], f3);
        rows.push(2);
        rows.extend(row.iter().zip(&prev).map(|(a, b)| a.wrapping_sub(*b)));
        prev.copy_from_slice(&row);
    }
    deflater.deflate(&rows, &mut packed)?;
    let _ = write!(
        ByteWriter(&mut out),
        "{xref_no} 0 obj\n<</Type/XRef/Size {}/W[1 {w2} {w3}]/Root ",
        xref.len()
    );
    out.extend_from_slice(root);
    if let Some(info) = info {
        out.extend_from_slice(b"/Info ");
        out.extend_from_slice(info);
    }
    if let Some(id) = id {
        out.extend_from_slice(b"/ID");
        out.extend_from_slice(id);
    }
    let _ = write!(
        ByteWriter(&mut out),
        "/Filter/FlateDecode/DecodeParms<</Predictor 12/Columns {columns}>>/Length {}>>\nstream\n",
        packed.len()
    );
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let _ = write!(ByteWriter(&mut out), "startxref\n{xref_at}\n%%EOF");
    Ok(out)
}

/// The last occurrence of `needle`.
fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Bytes needed for a field holding values up to `max` (at least 1).
fn bytes_for(max: u64) -> usize {
    (1..8).find(|&n| max < 1u64 << (8 * n)).unwrap_or(8)
}

/// Writes `v` big-endian into `dst`.
fn put_be(dst: &mut [u8], v: u64) {
    let n = dst.len();
    for (k, b) in dst.iter_mut().enumerate() {
        *b = (v >> (8 * (n - 1 - k))) as u8;
    }
}

/// `fmt::Write` into a byte vector.
struct ByteWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for ByteWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;
    use std::collections::BTreeMap;
    use std::io::Read;

    /// A classic PDF built the way pdf-writer lays files out, with values that would trip a
    /// naive scanner: `endobj` and unbalanced-looking brackets inside strings, a reference
    /// array, nested dictionaries.
    fn classic(objects: &[&[u8]]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offs = Vec::new();
        for (k, o) in objects.iter().enumerate() {
            offs.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
        );
        for o in offs {
            out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {}/Root 1 0 R/Info 2 0 R/ID[(a\\)b)(c)]>>\nstartxref\n{xref}\n%%EOF",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    pub(crate) fn inflate(data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        ZlibDecoder::new(data).read_to_end(&mut v).unwrap();
        v
    }

    /// Every object of a packed file, read back independently of [`pack`]'s reader: object
    /// streams are inflated and split by their offset tables; other streams give their raw
    /// data.
    pub(crate) fn objects_of(packed: &[u8]) -> BTreeMap<usize, Vec<u8>> {
        let num = |dict: &str, key: &str| -> usize {
            let rest = dict.split(key).nth(1).unwrap();
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let mut objs = BTreeMap::new();
        let re = regex::bytes::Regex::new(r"(\d+) 0 obj\n").unwrap();
        for c in re.captures_iter(packed) {
            let n: usize = String::from_utf8_lossy(&c[1]).parse().unwrap();
            let rest = &packed[c.get(0).unwrap().end()..];
            let Some(p) = rest.windows(8).position(|w| w == b"\nstream\n") else {
                continue;
            };
            let dict = String::from_utf8_lossy(&rest[..p]).into_owned();
            let data = &rest[p + 8..p + 8 + num(&dict, "/Length ")];
            if dict.contains("/Type/ObjStm") {
                let first = num(&dict, "/First ");
                let d = inflate(data);
                let index: Vec<usize> = String::from_utf8_lossy(&d[..first])
                    .split_whitespace()
                    .map(|x| x.parse().unwrap())
                    .collect();
                for k in 0..index.len() / 2 {
                    let a = first + index[2 * k + 1];
                    let b = match index.get(2 * k + 3) {
                        Some(next) => first + next - 1,
                        None => d.len(),
                    };
                    objs.insert(index[2 * k], d[a..b].to_vec());
                }
            } else if !dict.contains("/Type/XRef") {
                objs.insert(n, data.to_vec());
            }
        }
        objs
    }

    #[test]
    fn every_object_survives_with_its_bytes() {
        // a content stream long enough to be deflated (STORED_BELOW), a CFF font program and
        // a CIDSet-sized stream that stay unfiltered
        let content = "q 1 0 0 cm BT /F1 12 Tf 72 712 Td (packed) Tj ET Q\n".repeat(2);
        let content = format!(
            "<</Length {}>>\nstream\n{content}\nendstream",
            content.len()
        );
        let objects: Vec<&[u8]> = vec![
            b"<</Type/Catalog/Pages 3 0 R/Metadata 5 0 R>>",
            b"<</Title(endobj \\) stream \\\\)/Author<FEFF4E00>/Subject(a(b)c)>>",
            b"<</Type/Pages/Count 0/Kids[]/Weird[1 0 R 2 3 4 0 R[5]<</A/B>>]>>",
            content.as_bytes(),
            b"<</Type/Metadata/Subtype/XML/Length 5>>\nstream\n<x/>\n\nendstream",
            b"<</Length 3/Filter/FlateDecode>>\nstream\nabc\nendstream",
            b"[/Name 3.5 -2 true null (x)]",
            b"<</Subtype/CIDFontType0C/Length 6>>\nstream\n\x01\x00\x04\x02ab\nendstream",
            b"<</Length 4>>\nstream\n\xff\xff\xff\xf0\nendstream",
        ];
        let input = classic(&objects);
        let out = pack(&input, true).unwrap();
        assert!(out.starts_with(b"%PDF-1.7\n%\x80\x80\x80\x80\n"));
        assert!(out.ends_with(b"%%EOF"));
        let got = objects_of(&out);
        for (k, o) in objects.iter().enumerate() {
            let n = k + 1;
            let got = match got.get(&n) {
                // the packer deflated the unfiltered content stream
                Some(data) if n == 4 => inflate(data),
                other => other.cloned().unwrap_or_default(),
            };
            let want: Vec<u8> = if let Some(p) = o.windows(8).position(|w| w == b"\nstream\n") {
                let e = o.len() - b"\nendstream".len();
                o[p + 8..e].to_vec()
            } else {
                o.to_vec()
            };
            assert_eq!(got, want, "object {n}");
        }
        // the content stream was deflated, the metadata and the filtered stream were not touched
        let s = String::from_utf8_lossy(&out);
        assert!(s.contains("4 0 obj\n<</Filter/FlateDecode/Length"), "{s}");
        assert!(s.contains("5 0 obj\n<</Type/Metadata/Subtype/XML/Length 5>>\nstream\n<x/>\n"));
        assert!(s.contains("6 0 obj\n<</Filter/FlateDecode/Length 3>>\nstream\nabc\n"));
        assert!(s.contains("8 0 obj\n<</Subtype/CIDFontType0C/Length 6>>\nstream\n"));
        assert!(s.contains("9 0 obj\n<</Length 4>>\nstream\n"));
        assert!(s.contains("/Type/XRef") && s.contains("/Root 1 0 R/Info 2 0 R/ID[(a\\)b)(c)]"));
        assert_eq!(pack(&input, true).unwrap(), out, "deterministic");
        assert_eq!(pack(&input, false).unwrap(), out, "the same on one thread");
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        let input = classic(&[
            b"<</Type/Catalog>>",
            b"<</Length 999>>\nstream\nx\nendstream",
        ]);
        assert!(pack(&input, true).is_err());
        for cut in [0, 10, input.len() / 2, input.len() - 10] {
            let _ = pack(&input[..cut], true);
        }
        assert!(pack(b"", true).is_err());
        let unbalanced = classic(&[b"<</Title(never closed>>"]);
        assert!(pack(&unbalanced, true).is_err());
    }
}
