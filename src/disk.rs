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

/// Buffers a [`WriteBehind`] file takes at most before [`BackgroundFile::send`] waits:
/// bounds the memory of rows formatted but not yet written.
const BACKGROUND_BUFFERS: usize = 8;

/// An output file written by a thread of its own: the thread that formats rows hands over
/// whole buffers and goes on, while the copy into the page cache (a tenth of the CSV
/// writer's time) happens beside it. Buffers come back for reuse, so the steady state
/// allocates nothing. Bytes land in the order they were sent.
pub struct BackgroundFile {
    to_writer: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    recycled: std::sync::mpsc::Receiver<Vec<u8>>,
    writer: Option<std::thread::JoinHandle<io::Result<WriteBehind>>>,
}

impl BackgroundFile {
    /// Starts the writing thread of `file`, opened for writing at its start.
    pub fn start(file: File) -> io::Result<BackgroundFile> {
        let (to_writer, from_owner) = std::sync::mpsc::sync_channel::<Vec<u8>>(BACKGROUND_BUFFERS);
        let (recycle, recycled) = std::sync::mpsc::sync_channel::<Vec<u8>>(BACKGROUND_BUFFERS);
        let writer = std::thread::Builder::new().name("zf-file".into()).spawn(
            move || -> io::Result<WriteBehind> {
                let mut out = WriteBehind::new(file);
                for mut buf in from_owner.iter() {
                    out.write_all(&buf)?;
                    buf.clear();
                    let _ = recycle.try_send(buf); // dropped when the owner has enough
                }
                Ok(out)
            },
        )?;
        Ok(BackgroundFile {
            to_writer: Some(to_writer),
            recycled,
            writer: Some(writer),
        })
    }

    /// An empty buffer to fill and [`Self::send`]: one that came back, else a new one.
    pub fn buffer(&self) -> Vec<u8> {
        self.recycled
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(1 << 16))
    }

    /// Hands `buf` to the writing thread (waiting when it is [`BACKGROUND_BUFFERS`] behind).
    /// An error is the thread's: a write failed, and nothing sent after it was written.
    pub fn send(&mut self, buf: Vec<u8>) -> io::Result<()> {
        if buf.is_empty() {
            return Ok(());
        }
        match &self.to_writer {
            Some(tx) if tx.send(buf).is_ok() => Ok(()),
            _ => Err(self
                .stop()
                .err()
                .unwrap_or_else(|| io::Error::other("the file's writing thread stopped"))),
        }
    }

    /// Waits for every buffer sent to be written and returns the file.
    pub fn finish(mut self) -> io::Result<File> {
        self.stop().map(WriteBehind::into_inner)
    }

    fn stop(&mut self) -> io::Result<WriteBehind> {
        self.to_writer = None;
        match self.writer.take() {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the file's writing thread failed"))),
            None => Err(io::Error::other("the file's writing thread stopped")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_background_file_holds_every_buffer_in_the_order_sent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let mut w = BackgroundFile::start(File::create(&path).unwrap()).unwrap();
        let mut want = Vec::new();
        for i in 0..200u32 {
            let mut buf = w.buffer();
            assert!(buf.is_empty(), "a recycled buffer comes back empty");
            for _ in 0..=(i % 7) * 1000 {
                buf.extend_from_slice(&i.to_le_bytes());
            }
            want.extend_from_slice(&buf);
            w.send(buf).unwrap();
        }
        w.send(Vec::new()).unwrap();
        w.finish().unwrap().sync_all().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), want);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_write_that_fails_is_reported_by_a_later_send_or_the_finish() {
        // /dev/full takes no byte: every write fails with ENOSPC
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut w = BackgroundFile::start(full).unwrap();
        let sent: Vec<bool> = (0..4 * BACKGROUND_BUFFERS)
            .map(|_| w.send(vec![1u8; 4096]).is_ok())
            .collect();
        assert!(w.finish().is_err(), "sends: {sent:?}");
    }

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
