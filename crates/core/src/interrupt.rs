//! Ctrl-C (SIGINT) that tells the truth about what was written.
//!
//! Every write is one transaction, committed at its end, so an interrupt
//! before the commit writes nothing and one during or after it must not
//! be reported as a failure. So:
//! - outside a write, or in one that does not look ([`watch`]), the
//!   process ends at once with status 130 and "interrupted: nothing was
//!   written" (SQLite rolls an uncommitted transaction back);
//! - in a long write that looks (an import: [`check`] between rows), the
//!   write stops, rolls back, and the command says so, with status 130;
//! - from the moment a commit begins ([`committing`]), an interrupt is
//!   ignored: the command finishes and reports what it did, status 0.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use crate::error::{Error, Result};

const FREE: u8 = 0;
const WATCHED: u8 = 1;
const COMMITTING: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(FREE);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler (once, at start; a no-op where there are no
/// POSIX signals).
pub fn install() {
    #[cfg(unix)]
    {
        // SAFETY: the handler only touches atomics and calls write(2) and
        // _exit(2), which are async-signal-safe.
        let _ = unsafe { signal_hook_registry::register(libc::SIGINT, on_interrupt) };
    }
}

#[cfg(unix)]
fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    if STATE.load(Ordering::SeqCst) == FREE {
        let said = b"\ninterrupted: nothing was written\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe.
        unsafe {
            libc::write(2, said.as_ptr().cast(), said.len());
            libc::_exit(130);
        }
    }
}

/// While the returned guard lives, an interrupt is left for [`check`] to
/// find: the write in progress stops at its next check and rolls back.
pub fn watch() -> Watch {
    let _ = STATE.compare_exchange(FREE, WATCHED, Ordering::SeqCst, Ordering::SeqCst);
    Watch
}

/// See [`watch`].
pub struct Watch;

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = STATE.compare_exchange(WATCHED, FREE, Ordering::SeqCst, Ordering::SeqCst);
        if STATE.load(Ordering::SeqCst) == FREE && INTERRUPTED.load(Ordering::SeqCst) {
            // Interrupted while watched, and nothing stopped for it.
            #[cfg(unix)]
            on_interrupt();
        }
    }
}

/// [`Error::Interrupted`] if Ctrl-C was pressed (and no commit has begun).
pub fn check() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) && STATE.load(Ordering::SeqCst) != COMMITTING {
        return Err(Error::Interrupted);
    }
    Ok(())
}

/// A commit begins: from now on an interrupt changes nothing (the write
/// is whole either way), and the command ends as it would have.
pub fn committing() {
    STATE.store(COMMITTING, Ordering::SeqCst);
}

/// Whether Ctrl-C was pressed after a commit began (the command then says
/// that everything was written all the same).
pub fn ignored() -> bool {
    INTERRUPTED.load(Ordering::SeqCst) && STATE.load(Ordering::SeqCst) == COMMITTING
}
