//! A zip entry whose end is written before its beginning: the body is deflated to disk as
//! it streams in, and the head, which can only be known once the body is complete, is
//! deflated last and put in front of it.
//!
//! The workbook needs this. A worksheet's XML must say how many rows it holds
//! (`<dimension ref="A1:K90077"/>`, which openpyxl's read-only mode and other streaming
//! readers take as the sheet's size) and how wide its columns are (`<cols>`), both before
//! the first row; but the rows are compressed as they arrive, so that the compression runs
//! while pages are still being extracted. Deflate lets both hold: the head is compressed as
//! a separate run of blocks that ends on a byte boundary without the final-block bit (a
//! sync flush), and a decoder reads it and the body's blocks as one stream. The entry's
//! CRC-32 is the body's combined with the head's, so nothing is inflated again.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc, CrcWriter};

use crate::disk::WriteBehind;

/// Deflate method id in a zip header.
const METHOD_DEFLATE: u16 = 8;
/// Version needed to extract a deflated entry (2.0).
const VERSION_20: u16 = 20;
/// MS-DOS date of 1980-01-01 (the first day a zip can say), with time 00:00: fixed, so the
/// same tables give the same bytes.
const DOS_DATE: u16 = (1 << 5) | 1;

/// The body of one zip entry, deflated into a temporary file as it is written.
pub struct LateHeadEntry {
    name: String,
    level: u32,
    body: CrcWriter<DeflateEncoder<BufWriter<WriteBehind>>>,
    body_path: PathBuf,
}

impl LateHeadEntry {
    /// Starts the entry `name` (its path inside the final zip), deflating at `level` into
    /// a new file at `body_path`.
    pub fn create(body_path: &Path, name: String, level: u32) -> Result<LateHeadEntry> {
        let file = File::create(body_path)
            .with_context(|| format!("cannot create {}", body_path.display()))?;
        let out = BufWriter::with_capacity(1 << 20, WriteBehind::new(file));
        Ok(LateHeadEntry {
            name,
            level,
            body: CrcWriter::new(DeflateEncoder::new(out, Compression::new(level))),
            body_path: body_path.to_path_buf(),
        })
    }

    /// Uncompressed bytes of the body so far.
    pub fn body_len(&self) -> u64 {
        u64::from(self.body.crc().amount())
    }

    /// Appends bytes to the body.
    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.body.write_all(bytes)
    }

    /// Drops the entry and its temporary file (its table was left out of the workbook).
    pub fn discard(self) {
        let path = self.body_path.clone();
        drop(self);
        let _ = std::fs::remove_file(path);
    }

    /// Ends the body, deflates `head` in front of it and writes the whole entry as a
    /// one-entry zip archive at `zip_path` (for `ZipWriter::merge_archive`). The body's
    /// temporary file is removed.
    pub fn finish(self, head: &[u8], zip_path: &Path) -> Result<()> {
        let body_path = self.body_path.clone();
        let written = self.write_zip(head, zip_path);
        let _ = std::fs::remove_file(&body_path);
        written.with_context(|| format!("cannot write {}", zip_path.display()))
    }

    fn write_zip(self, head: &[u8], zip_path: &Path) -> Result<()> {
        let LateHeadEntry {
            name,
            level,
            body,
            body_path,
        } = self;
        // `CrcWriter::into_inner` drops the CRC: copy it first
        let body_crc = crc_of(body.crc());
        let body_len = u64::from(body.crc().amount());
        let encoder = body.into_inner();
        let mut out = encoder.finish()?;
        out.flush()?;
        let file = out.into_inner().map_err(|e| e.into_error())?.into_inner();
        let body_deflated = file.metadata()?.len();
        drop(file);

        let mut crc = Crc::new();
        crc.update(head);
        crc.combine(&body_crc);
        let head_deflated = deflate_sync_flushed(head, level)?;

        let compressed = head_deflated.len() as u64 + body_deflated;
        let uncompressed = head.len() as u64 + body_len;
        let (Ok(compressed), Ok(uncompressed)) =
            (u32::try_from(compressed), u32::try_from(uncompressed))
        else {
            anyhow::bail!("the entry {name} is over 4 GiB (zip64 is not written)");
        };
        let entry = EntryHeader {
            name: &name,
            crc: crc.sum(),
            compressed,
            uncompressed,
        };
        let mut out = File::create(zip_path)?;
        let local = entry.local();
        out.write_all(&local)?;
        out.write_all(&head_deflated)?;
        io::copy(&mut File::open(&body_path)?, &mut out)?; // copy_file_range on Linux
        let directory = entry.central();
        out.write_all(&directory)?;
        let directory_offset = u64::from(compressed) + local.len() as u64;
        out.write_all(&end_of_directory(directory.len(), directory_offset)?)?;
        Ok(())
    }
}

/// A copy of a running CRC (flate2's `Crc` is not `Clone`).
fn crc_of(crc: &Crc) -> Crc {
    let mut copy = Crc::new();
    copy.combine(crc);
    copy
}

/// `data` deflated as non-final blocks that end on a byte boundary (a sync flush), so that
/// another deflate stream can follow it.
fn deflate_sync_flushed(data: &[u8], level: u32) -> io::Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::new(level));
    encoder.write_all(data)?;
    encoder.flush()?; // Z_SYNC_FLUSH: no final block
    Ok(std::mem::take(encoder.get_mut()))
}

/// What a zip's local header and central directory say of one entry.
struct EntryHeader<'a> {
    name: &'a str,
    crc: u32,
    compressed: u32,
    uncompressed: u32,
}

impl EntryHeader<'_> {
    /// The fields local and central headers share, from "version needed" to "extra length".
    fn common(&self, out: &mut Vec<u8>) {
        for v in [VERSION_20, 0, METHOD_DEFLATE, 0, DOS_DATE] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [self.crc, self.compressed, self.uncompressed] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    }

    fn local(&self) -> Vec<u8> {
        let mut out = 0x0403_4b50u32.to_le_bytes().to_vec();
        self.common(&mut out);
        out.extend_from_slice(self.name.as_bytes());
        out
    }

    fn central(&self) -> Vec<u8> {
        let mut out = 0x0201_4b50u32.to_le_bytes().to_vec();
        out.extend_from_slice(&VERSION_20.to_le_bytes()); // version made by
        self.common(&mut out);
        // comment length, disk number, internal and external attributes, header offset
        for v in [0u16, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [0u32, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(self.name.as_bytes());
        out
    }
}

/// The end-of-central-directory record of a one-entry archive.
fn end_of_directory(directory_len: usize, directory_offset: u64) -> io::Result<Vec<u8>> {
    let too_big = |_| io::Error::other("zip directory past 4 GiB");
    let mut out = 0x0605_4b50u32.to_le_bytes().to_vec();
    for v in [0u16, 0, 1, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&u32::try_from(directory_len).map_err(too_big)?.to_le_bytes());
    out.extend_from_slice(
        &u32::try_from(directory_offset)
            .map_err(too_big)?
            .to_le_bytes(),
    );
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_head_written_last_reads_first_and_the_crc_holds() {
        let dir = tempfile::tempdir().unwrap();
        let mut entry =
            LateHeadEntry::create(&dir.path().join("body"), "part.xml".into(), 1).unwrap();
        let row = "<row>广州高新区 28条 139.26公顷</row>".repeat(3_000);
        for _ in 0..50 {
            entry.write_all(row.as_bytes()).unwrap();
        }
        assert_eq!(entry.body_len(), 50 * row.len() as u64);
        let zip_path = dir.path().join("one.zip");
        entry.finish(b"<head rows=\"150000\"/>", &zip_path).unwrap();
        assert!(!dir.path().join("body").exists());

        let mut archive = zip::ZipArchive::new(File::open(&zip_path).unwrap()).unwrap();
        assert_eq!(archive.len(), 1);
        let mut part = archive.by_name("part.xml").unwrap();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap(); // checks the combined CRC-32 at the end
        assert!(text.starts_with("<head rows=\"150000\"/><row>广州高新区"));
        assert_eq!(text.len(), 21 + 50 * row.len());
        assert!(part.compressed_size() < text.len() as u64 / 10);
    }
}
