//! One archive (zip or cab) read from a file on disk or from bytes taken out
//! of an outer archive: its members as named in the archive, and each
//! member's bytes decompressed under the bundle's limits (counted as they
//! are read, never trusting a declared size), kept in memory or spilled to
//! an anonymous temporary file.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom, Write};
use std::rc::Rc;

use super::Limits;

/// Entries smaller than this are never refused for their ratio (a short
/// run of repeated characters compresses very well).
const RATIO_FLOOR: u64 = 1024 * 1024;

/// The bytes of an archive or of an entry taken out of one.
pub(super) enum Blob {
    /// Held in memory.
    Memory(Vec<u8>),
    /// A file: the archive on disk, or an anonymous temporary file holding
    /// an entry too big for memory (deleted when closed).
    File(File),
}

impl Blob {
    /// A reader over the whole blob that counts the bytes read in `read`.
    fn reader(&self, read: Rc<Cell<u64>>) -> BlobReader<'_> {
        let inner = match self {
            Blob::Memory(bytes) => Inner::Memory(Cursor::new(bytes)),
            Blob::File(file) => Inner::File(file),
        };
        BlobReader { inner, read }
    }

    fn len(&self) -> io::Result<u64> {
        match self {
            Blob::Memory(bytes) => Ok(bytes.len() as u64),
            Blob::File(file) => Ok(file.metadata()?.len()),
        }
    }
}

enum Inner<'a> {
    Memory(Cursor<&'a Vec<u8>>),
    File(&'a File),
}

/// Reads a [`Blob`], counting the bytes that pass (the compressed bytes an
/// entry's decompression consumed, for its ratio).
struct BlobReader<'a> {
    inner: Inner<'a>,
    read: Rc<Cell<u64>>,
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &mut self.inner {
            Inner::Memory(cursor) => cursor.read(buf)?,
            Inner::File(file) => file.read(buf)?,
        };
        self.read.set(self.read.get().saturating_add(n as u64));
        Ok(n)
    }
}

impl Seek for BlobReader<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match &mut self.inner {
            Inner::Memory(cursor) => cursor.seek(pos),
            Inner::File(file) => file.seek(pos),
        }
    }
}

/// The archive formats a bundle can be made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Zip,
    Cab,
}

/// The archive format whose magic bytes `head` starts with.
pub(super) fn kind_of(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if head.starts_with(b"MSCF") {
        Some(Kind::Cab)
    } else {
        None
    }
}

/// One member of an archive.
#[derive(Clone, Debug)]
pub(super) struct Member {
    /// The name as the archive stores it (decoded to text): how the member
    /// is found again.
    pub name: String,
    /// The name made a relative path: `\` read as `/`, no drive, no root,
    /// no `.` or `..` leaving the archive.
    pub path: Vec<String>,
    /// The size the archive declares (shown; never trusted for reading).
    pub size: u64,
    /// A folder entry (zip), not a file.
    pub is_dir: bool,
}

impl Member {
    /// The last part of the path (the file name).
    pub fn file_name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }
}

enum Reader<'a> {
    Zip(zip::ZipArchive<BlobReader<'a>>),
    /// The cabinet and, per member, the name the `cab` crate knows it by.
    Cab(cab::Cabinet<BlobReader<'a>>, Vec<String>),
}

/// An archive opened for reading.
pub(super) struct Archive<'a> {
    reader: Reader<'a>,
    members: Vec<Member>,
    /// Bytes read from the blob so far.
    read: Rc<Cell<u64>>,
    /// The blob's length: no member can have been compressed into more.
    len: u64,
}

/// Turns an archive's name for a member into a relative path that stays
/// inside the archive.
pub(super) fn normalise(name: &str) -> Vec<String> {
    let name = name.split('\0').next().unwrap_or("");
    let mut parts: Vec<String> = Vec::new();
    for (i, part) in name.split(['/', '\\']).enumerate() {
        let is_drive = i == 0
            && part.len() == 2
            && part.ends_with(':')
            && part.starts_with(|c: char| c.is_ascii_alphabetic());
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ if is_drive => {}
            _ => parts.push(
                part.chars()
                    .map(|c| if c.is_control() { '_' } else { c })
                    .collect(),
            ),
        }
    }
    parts
}

fn zip_message(e: zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::Io(e) => io_message(&e),
        other => other.to_string(),
    }
}

fn io_message(e: &io::Error) -> String {
    // The zip and cab crates put what is wrong in the message; the kind
    // says it is damage.
    if matches!(
        e.kind(),
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
    ) {
        format!("damaged: {e}")
    } else {
        e.to_string()
    }
}

impl<'a> Archive<'a> {
    /// Opens `blob` as a zip or cab archive and reads its directory (the
    /// zip central directory, the cab file headers): nothing is
    /// decompressed.
    pub fn open(blob: &'a Blob) -> Result<Archive<'a>, String> {
        let read = Rc::new(Cell::new(0));
        let len = blob.len().map_err(|e| e.to_string())?;
        let mut head = [0u8; 4];
        let mut reader = blob.reader(Rc::clone(&read));
        let got = read_up_to(&mut reader, &mut head).map_err(|e| e.to_string())?;
        reader.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        let guarded = crate::jobs::catch_panic(move || match kind_of(&head[..got]) {
            Some(Kind::Zip) => open_zip(reader),
            Some(Kind::Cab) => open_cab(reader),
            None => Err("not a zip or cab archive".to_owned()),
        });
        let (reader, members) = guarded.map_err(|f| format!("damaged: {}", f.reason))??;
        Ok(Archive {
            reader,
            members,
            read,
            len,
        })
    }

    /// The members, in the archive's order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// The member stored under `name` (as [`Member::name`]).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.members.iter().position(|m| m.name == name)
    }

    /// Decompresses member `index`, counting its bytes against `limits`
    /// and the bundle's running `total`.
    pub fn extract(
        &mut self,
        index: usize,
        limits: &Limits,
        total: &mut u64,
    ) -> Result<Blob, String> {
        let member = self.members.get(index).ok_or("no such entry")?.clone();
        if member.is_dir {
            return Err("is a folder".to_owned());
        }
        let counter = Rc::clone(&self.read);
        let len = self.len;
        let reader = &mut self.reader;
        let outcome = crate::jobs::catch_panic(move || -> Result<Blob, String> {
            let start = counter.get();
            match reader {
                Reader::Zip(zip) => {
                    let mut file = zip.by_index(index).map_err(zip_message)?;
                    if file.encrypted() {
                        return Err("encrypted: cannot be read without its password".to_owned());
                    }
                    let declared = file.compressed_size().min(len);
                    refuse_declared(file.size(), declared, limits)?;
                    copy_limited(&mut file, &counter, start, limits, total)
                }
                Reader::Cab(cabinet, names) => {
                    let mut file = cabinet
                        .read_file(&names[index])
                        .map_err(|e| io_message(&e))?;
                    copy_limited(&mut file, &counter, start, limits, total)
                }
            }
        });
        outcome.map_err(|f| format!("damaged: {}", f.reason))?
    }
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn open_zip(reader: BlobReader<'_>) -> Result<(Reader<'_>, Vec<Member>), String> {
    let zip = zip::ZipArchive::new(reader)
        .map_err(|e| format!("not a readable zip archive: {}", zip_message(e)))?;
    let mut members = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(zip_message)?;
        let name = entry.name().map_err(zip_message)?.into_owned();
        members.push(Member {
            path: normalise(&name),
            size: entry.size(),
            is_dir: entry.is_dir(),
            name,
        });
    }
    Ok((Reader::Zip(zip), members))
}

/// `ATTR_NAME_IS_UTF` of a cab file header: the name is UTF-8, otherwise
/// it is in the ANSI code page of the computer that made the cabinet.
const CAB_NAME_IS_UTF: u16 = 0x80;

fn open_cab(mut reader: BlobReader<'_>) -> Result<(Reader<'_>, Vec<Member>), String> {
    // The cab crate decodes names as UTF-8 only: read the file headers
    // ourselves for the names' bytes (Windows-1252 when not UTF-8).
    let raw = cab_file_headers(&mut reader)
        .map_err(|e| format!("not a readable cab archive: {}", io_message(&e)))?;
    reader.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    let cabinet = cab::Cabinet::new(reader)
        .map_err(|e| format!("not a readable cab archive: {}", io_message(&e)))?;
    let mut members = Vec::with_capacity(raw.len());
    let mut crate_names = Vec::with_capacity(raw.len());
    for (bytes, attributes, size) in raw {
        let crate_name = String::from_utf8_lossy(&bytes).into_owned();
        let name = match std::str::from_utf8(&bytes) {
            Ok(text) => text.to_owned(),
            Err(_) if attributes & CAB_NAME_IS_UTF != 0 => crate_name.clone(),
            Err(_) => encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned(),
        };
        members.push(Member {
            path: normalise(&name),
            size: u64::from(size),
            is_dir: false,
            name,
        });
        crate_names.push(crate_name);
    }
    Ok((Reader::Cab(cabinet, crate_names), members))
}

/// The CFFILE records of a cabinet: each name's bytes, attributes and size.
fn cab_file_headers(reader: &mut BlobReader<'_>) -> io::Result<Vec<(Vec<u8>, u16, u32)>> {
    let mut header = [0u8; 36];
    reader.read_exact(&mut header)?;
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let first_file = u32_at(&header, 16);
    let count = u16_at(&header, 28);
    reader.seek(SeekFrom::Start(u64::from(first_file)))?;
    let mut reader = BufReader::new(reader);
    let mut files = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let mut record = [0u8; 16];
        reader.read_exact(&mut record)?;
        let mut name = Vec::new();
        loop {
            let mut byte = [0u8; 1];
            reader.read_exact(&mut byte)?;
            if byte[0] == 0 {
                break;
            }
            if name.len() >= 256 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "file name longer than 256 bytes",
                ));
            }
            name.push(byte[0]);
        }
        files.push((name, u16_at(&record, 14), u32_at(&record, 0)));
    }
    Ok(files)
}

fn mib(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

fn ratio_refusal(limits: &Limits) -> String {
    format!(
        "refused: expands more than {} times its compressed size (zip bomb?)",
        limits.ratio
    )
}

fn size_refusal(limits: &Limits) -> String {
    format!(
        "refused: expands to more than {} (the limit for one entry)",
        mib(limits.entry_bytes)
    )
}

/// Refuses at once an entry whose declared sizes are already beyond the
/// limits (declared sizes never let an entry through: the bytes are
/// counted as they are read).
fn refuse_declared(size: u64, compressed: u64, limits: &Limits) -> Result<(), String> {
    if size > limits.entry_bytes {
        return Err(size_refusal(limits));
    }
    if size > RATIO_FLOOR && size / compressed.max(1) >= limits.ratio {
        return Err(ratio_refusal(limits));
    }
    Ok(())
}

/// Copies a decompressing reader into memory, or into an anonymous
/// temporary file past `limits.memory_bytes`, refusing it as soon as it
/// grows beyond the entry size, the ratio to the compressed bytes consumed
/// so far (`counter` minus `start`) or the bundle's total.
pub(super) fn copy_limited(
    reader: &mut dyn Read,
    counter: &Cell<u64>,
    start: u64,
    limits: &Limits,
    total: &mut u64,
) -> Result<Blob, String> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut memory: Vec<u8> = Vec::new();
    let mut spilled: Option<File> = None;
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_message(&e)),
        };
        size += n as u64;
        *total = total.saturating_add(n as u64);
        if size > limits.entry_bytes {
            return Err(size_refusal(limits));
        }
        let compressed = counter.get().saturating_sub(start).max(1);
        if size > RATIO_FLOOR && size / compressed >= limits.ratio {
            return Err(ratio_refusal(limits));
        }
        if *total > limits.total_bytes {
            return Err(format!(
                "refused: the bundle expands to more than {} in all",
                mib(limits.total_bytes)
            ));
        }
        let chunk = &buf[..n];
        if spilled.is_none() && (memory.len() + n) as u64 > limits.memory_bytes {
            let mut file =
                tempfile::tempfile().map_err(|e| format!("cannot make a temporary file: {e}"))?;
            file.write_all(&memory)
                .map_err(|e| format!("cannot write a temporary file: {e}"))?;
            memory = Vec::new();
            spilled = Some(file);
        }
        match &mut spilled {
            Some(file) => file
                .write_all(chunk)
                .map_err(|e| format!("cannot write a temporary file: {e}"))?,
            None => memory.extend_from_slice(chunk),
        }
    }
    match spilled {
        Some(mut file) => {
            file.flush()
                .and_then(|()| file.seek(SeekFrom::Start(0)).map(drop))
                .map_err(|e| format!("cannot read a temporary file: {e}"))?;
            Ok(Blob::File(file))
        }
        None => Ok(Blob::Memory(memory)),
    }
}

/// Reads the first bytes of a file, to tell an archive by its magic.
pub(super) fn file_kind(path: &std::path::Path) -> Option<Kind> {
    let mut file = File::open(path).ok()?;
    let mut head = [0u8; 4];
    let got = read_up_to(&mut file, &mut head).ok()?;
    kind_of(&head[..got])
}

/// Reads a whole blob into memory (used for small blobs in tests).
#[cfg(test)]
pub(super) fn blob_bytes(blob: &Blob) -> Vec<u8> {
    let mut out = Vec::new();
    blob.reader(Rc::new(Cell::new(0)))
        .read_to_end(&mut out)
        .expect("blob readable");
    out
}
