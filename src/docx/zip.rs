//! The zip container of the package, written directly: every entry deflated by one compressor
//! that is reset between entries, dated 1980-01-01 00:00, mode 0644, no extra fields, in the
//! order given, so identical parts give identical bytes.
//!
//! The `zip` crate made a compressor per entry (its state allocated and cleared eleven times for
//! one document: ~7 M instructions and ~250 page faults of a DOCX export, a fifth of the whole
//! process). The format written here is the plain one of APPNOTE.TXT 4.3 (no ZIP64, no data
//! descriptors), which Word, WPS, LibreOffice, python-docx and the `zip` crate read.

use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use std::io;

/// Local file header signature.
const LOCAL: u32 = 0x0403_4b50;
/// Central directory header signature.
const CENTRAL: u32 = 0x0201_4b50;
/// End of central directory signature.
const END: u32 = 0x0605_4b50;
/// Version needed to extract: 2.0 (deflate).
const VERSION_NEEDED: u16 = 20;
/// Version made by: Unix (3) in the high byte, so readers apply the mode in the external
/// attributes; spec version 2.0 in the low byte.
const VERSION_MADE_BY: u16 = (3 << 8) | 20;
/// Compression method 8: deflate.
const DEFLATE: u16 = 8;
/// MS-DOS date of 1980-01-01, the earliest a zip can hold (time 00:00 is 0).
const DOS_DATE: u16 = (1 << 5) | 1;
/// External attributes: a regular file with mode 0644, in the high 16 bits.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;
/// The deflate level: 3 as the PDF's object streams. Level 6 (the `zip` crate's default, with
/// which this writer gives the bytes the crate gave) makes the seed's DOCX 0.9 KB smaller
/// (10.3 KB of deflated parts against 11.1) for 40 % more deflate time.
const LEVEL: u32 = 3;

/// An entry already written: what its central directory record needs.
struct Entry {
    name: &'static str,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// Writes a zip of `(name, bytes)` entries into memory.
pub struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
    deflate: Compress,
}

fn too_large(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the package is too large for a zip without ZIP64 ({what})"),
    )
}

fn u32_of(n: usize, what: &str) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large(what))
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

impl ZipWriter {
    /// A writer whose output starts with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> ZipWriter {
        ZipWriter {
            out: Vec::with_capacity(capacity),
            entries: Vec::new(),
            deflate: Compress::new(Compression::new(LEVEL), false),
        }
    }

    /// Adds an entry: its local header, then its bytes deflated.
    ///
    /// # Errors
    /// When the entry or the archive would need ZIP64 (4 GiB, 65,535 entries), or deflate fails.
    pub fn add(&mut self, name: &'static str, bytes: &[u8]) -> io::Result<()> {
        let offset = u32_of(self.out.len(), "offset")?;
        let size = u32_of(bytes.len(), name)?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_large("entry name"))?;
        let mut crc = Crc::new();
        crc.update(bytes);
        let out = &mut self.out;
        put32(out, LOCAL);
        put16(out, VERSION_NEEDED);
        put16(out, 0); // flags: ASCII names, sizes in this header
        put16(out, DEFLATE);
        put16(out, 0); // time 00:00:00
        put16(out, DOS_DATE);
        put32(out, crc.sum());
        let sizes_at = out.len();
        put32(out, 0); // compressed size, set below
        put32(out, size);
        put16(out, name_len);
        put16(out, 0); // no extra field
        out.extend_from_slice(name.as_bytes());
        let data_at = out.len();
        self.deflate.reset();
        out.reserve(bytes.len() / 2 + 64);
        loop {
            let read = usize::try_from(self.deflate.total_in()).map_err(|_| too_large(name))?;
            let rest = bytes.get(read..).unwrap_or_default();
            match self
                .deflate
                .compress_vec(rest, out, FlushCompress::Finish)
                .map_err(io::Error::other)?
            {
                Status::StreamEnd => break,
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(4096)),
            }
        }
        let compressed = u32_of(out.len() - data_at, name)?;
        out[sizes_at..sizes_at + 4].copy_from_slice(&compressed.to_le_bytes());
        u32_of(out.len(), "offset")?;
        self.entries.push(Entry {
            name,
            crc: crc.sum(),
            compressed,
            size,
            offset,
        });
        Ok(())
    }

    /// Writes the central directory and its end record, and gives back the archive.
    ///
    /// # Errors
    /// When the archive would need ZIP64.
    pub fn finish(mut self) -> io::Result<Vec<u8>> {
        let count = u16::try_from(self.entries.len()).map_err(|_| too_large("entry count"))?;
        let directory_at = u32_of(self.out.len(), "offset")?;
        let out = &mut self.out;
        for e in &self.entries {
            put32(out, CENTRAL);
            put16(out, VERSION_MADE_BY);
            put16(out, VERSION_NEEDED);
            put16(out, 0);
            put16(out, DEFLATE);
            put16(out, 0);
            put16(out, DOS_DATE);
            put32(out, e.crc);
            put32(out, e.compressed);
            put32(out, e.size);
            // Checked to fit when the entry was added.
            put16(out, e.name.len() as u16);
            put16(out, 0); // extra field
            put16(out, 0); // comment
            put16(out, 0); // disk number
            put16(out, 0); // internal attributes
            put32(out, EXTERNAL_ATTRIBUTES);
            put32(out, e.offset);
            out.extend_from_slice(e.name.as_bytes());
        }
        let directory_size = u32_of(out.len() - directory_at as usize, "central directory")?;
        u32_of(out.len(), "offset")?;
        put32(out, END);
        put16(out, 0); // this disk
        put16(out, 0); // disk of the directory
        put16(out, count);
        put16(out, count);
        put32(out, directory_size);
        put32(out, directory_at);
        put16(out, 0); // comment length
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn entries_read_back_with_the_zip_crate() {
        let big: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut w = ZipWriter::with_capacity(0);
        w.add("[Content_Types].xml", b"<Types/>").unwrap();
        w.add("empty", b"").unwrap();
        w.add("word/big.bin", &big).unwrap();
        let bytes = w.finish().unwrap();
        let mut z = ::zip::ZipArchive::new(io::Cursor::new(bytes)).unwrap();
        assert_eq!(z.len(), 3);
        for (i, (name, want)) in [
            ("[Content_Types].xml", &b"<Types/>"[..]),
            ("empty", &b""[..]),
            ("word/big.bin", &big[..]),
        ]
        .into_iter()
        .enumerate()
        {
            let mut f = z.by_index(i).unwrap();
            assert_eq!(f.name().unwrap(), name);
            assert_eq!(f.compression(), ::zip::CompressionMethod::Deflated);
            assert_eq!(f.unix_mode(), Some(0o100_644));
            assert_eq!(f.size(), want.len() as u64);
            let mut got = Vec::new();
            // The zip crate checks the CRC-32 at the end of the entry.
            f.read_to_end(&mut got).unwrap();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn the_same_parts_give_the_same_bytes() {
        let make = || {
            let mut w = ZipWriter::with_capacity(16);
            w.add("a.xml", &[b'x'; 10_000]).unwrap();
            w.add("b.xml", b"<b/>").unwrap();
            w.finish().unwrap()
        };
        assert_eq!(make(), make());
    }
}
