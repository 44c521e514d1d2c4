//! Hints to the kernel about the files a run reads and writes, so that disk time overlaps
//! CPU time instead of adding to it: read-ahead of the input files the workers will want
//! next, and write-behind of the outputs as they grow.
//!
//! Both are only hints: they change no byte of any output, and where the platform has no
//! such call they do nothing.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;

/// Asks the kernel to start reading a file into the page cache, without waiting for it.
pub fn read_ahead(path: &Path) {
    #[cfg(target_os = "linux")]
    if let Ok(f) = File::open(path) {
        let _ = rustix::fs::fadvise(&f, 0, None, rustix::fs::Advice::WillNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Asks the kernel to start writing `file`'s dirty pages from `from` to the end to disk,
/// without waiting for it.
///
/// `POSIX_FADV_DONTNEED` is the portable call that does this on Linux: it starts write-back
/// of the range and drops those of its pages that are already clean, which an output being
/// written has none of.
pub fn write_behind(file: &File, from: u64) {
    #[cfg(target_os = "linux")]
    let _ = rustix::fs::fadvise(file, from, None, rustix::fs::Advice::DontNeed);
    #[cfg(not(target_os = "linux"))]
    let _ = (file, from);
}

/// Bytes an output file grows by between two write-behind hints.
pub const WRITE_BEHIND_STEP: u64 = 8 << 20;

/// An output file whose data starts going to disk every [`WRITE_BEHIND_STEP`] bytes.
///
/// Without it the kernel keeps up to a tenth of memory dirty before writing any of it back,
/// so the sync at the end of a run waited for gigabytes (1 GB of input writes about 4.6 GB of
/// outputs) while both cores had nothing left to do.
#[derive(Debug)]
pub struct WriteBehind {
    file: File,
    /// Where the next write lands.
    pos: u64,
    /// Everything before this offset has been handed to write-back.
    started: u64,
}

impl WriteBehind {
    /// Wraps a file opened for writing at its start.
    pub fn new(file: File) -> WriteBehind {
        WriteBehind {
            file,
            pos: 0,
            started: 0,
        }
    }

    /// The file back.
    pub fn into_inner(self) -> File {
        self.file
    }
}

impl Write for WriteBehind {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.pos += n as u64;
        if self.pos >= self.started + WRITE_BEHIND_STEP {
            write_behind(&self.file, self.started);
            self.started = self.pos;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Seek for WriteBehind {
    /// Zip writers go back to fill in a header: the next hint still starts where the last
    /// one ended.
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = self.file.seek(to)?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_bytes_and_positions_are_those_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        let mut w = WriteBehind::new(File::create(&path).unwrap());
        let chunk = vec![7u8; 3 << 20];
        for _ in 0..4 {
            w.write_all(&chunk).unwrap(); // passes one write-behind step
        }
        assert!(w.started >= WRITE_BEHIND_STEP);
        assert_eq!(w.seek(SeekFrom::Start(1)).unwrap(), 1);
        w.write_all(b"ab").unwrap();
        assert_eq!(w.seek(SeekFrom::End(0)).unwrap(), 12 << 20);
        w.write_all(b"z").unwrap();
        w.into_inner().sync_all().unwrap();
        let mut back = Vec::new();
        File::open(&path).unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back.len(), (12 << 20) + 1);
        assert_eq!(&back[..4], &[7, b'a', b'b', 7]);
        assert_eq!(back.last(), Some(&b'z'));
    }
}
