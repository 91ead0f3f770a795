//! The font boundary: panics inside the font libraries (skrifa, read-fonts, krilla's subsetter)
//! become error messages instead of backtraces.
//!
//! Every font field the libraries are known to trust is checked when a face is loaded
//! ([`super::fonts`]); this is the last resort for what those checks miss. While a closure runs
//! under [`catch`], a panic on this thread is not printed by the default hook: the process-wide
//! hook installed on first use stays silent for such panics and delegates every other panic to
//! the hook that was in place before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many [`catch`] calls are active on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

/// Runs `f`; a panic inside it is returned as `Err(message)` (the panic's own text) and is not
/// printed.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::catch;

    #[test]
    fn a_panic_becomes_its_message_and_values_pass_through() {
        assert_eq!(catch(|| 7), Ok(7));
        let e = catch(|| -> u8 { panic!("units per em is {}", 0) });
        assert_eq!(e, Err("units per em is 0".to_string()));
        let e = catch(|| -> u8 { panic!("static") });
        assert_eq!(e, Err("static".to_string()));
        // nested use keeps working
        assert_eq!(catch(|| catch(|| 1)), Ok(Ok(1)));
    }
}
