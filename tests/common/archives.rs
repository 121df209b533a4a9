//! Archives the tests make by hand: a zip bomb that takes no time to write.
#![allow(dead_code)] // each test file uses its own part

use std::path::Path;

/// A zip with one deflated entry of `size` zeros, written by hand so that
/// making it takes no time: one deflate block of 64 MiB of zeros made with
/// a full flush (so it stands alone) is repeated, then a final empty block.
pub fn zero_bomb(path: &Path, name: &str, size: u64) {
    use flate2::{Compress, Compression, FlushCompress};
    const PIECE: u64 = 64 << 20;
    assert_eq!(size % PIECE, 0);
    let zeros = vec![0u8; PIECE as usize];
    let mut compress = Compress::new(Compression::best(), false);
    let mut piece = Vec::with_capacity(1 << 20);
    compress
        .compress_vec(&zeros, &mut piece, FlushCompress::Full)
        .unwrap();
    assert_eq!(compress.total_in(), PIECE);
    let mut data = Vec::new();
    let mut crc = crc32fast::Hasher::new();
    let mut piece_crc = crc32fast::Hasher::new();
    piece_crc.update(&zeros);
    for _ in 0..size / PIECE {
        data.extend_from_slice(&piece);
        crc.combine(&piece_crc);
    }
    data.extend_from_slice(&[0x03, 0x00]);
    let crc = crc.finalize();
    let csize = u32::try_from(data.len()).unwrap();
    let usize_ = u32::try_from(size).unwrap();
    let name = name.as_bytes();
    let mut zip = Vec::new();
    let header = |sig: u32, central: bool, out: &mut Vec<u8>| {
        out.extend_from_slice(&sig.to_le_bytes());
        if central {
            out.extend_from_slice(&20u16.to_le_bytes());
        }
        for v in [20u16, 0, 8, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, csize, usize_] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        if central {
            for v in [0u16, 0, 0] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
        }
        out.extend_from_slice(name);
    };
    header(0x0403_4b50, false, &mut zip);
    zip.extend_from_slice(&data);
    let cd_start = zip.len() as u32;
    header(0x0201_4b50, true, &mut zip);
    let cd_size = zip.len() as u32 - cd_start;
    zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, 1, 1] {
        zip.extend_from_slice(&v.to_le_bytes());
    }
    zip.extend_from_slice(&cd_size.to_le_bytes());
    zip.extend_from_slice(&cd_start.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    std::fs::write(path, zip).unwrap();
}
