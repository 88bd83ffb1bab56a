//! Files written whole or not at all: a temporary file beside the target,
//! renamed over it once complete and deleted if anything fails first, so a
//! reader (or a crash) never sees half a file. Export, the site's manifest
//! and backups write this way.

use std::io;
use std::path::Path;

/// A new temporary file in `dir` for replacing `name`, readable as a file
/// created the ordinary way would be (tempfile's default is owner-only,
/// which would make exported CSV files unreadable to the rest of a team).
pub fn replacement(dir: &Path, name: &str) -> io::Result<tempfile::NamedTempFile> {
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The process umask still applies, as for File::create.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replacement_is_readable_by_others_and_goes_if_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let file = replacement(dir.path(), "faqs.csv").unwrap();
        let path = file.path().to_path_buf();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_ne!(mode & 0o044, 0, "{mode:o}");
        }
        drop(file);
        assert!(!path.exists());
    }
}
