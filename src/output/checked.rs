//! Checked binary files: partial results (`partial.bin`) and the finished cells of a
//! sweep (`.cells/cell-NNNNNNN.bin`).
//!
//! The payload is a [postcard](https://docs.rs/postcard) encoding, which stores every
//! `f64` as its eight raw bytes, so NaN and every last bit round-trip (JSON cannot). Around
//! it, a frame that lets any damage be found before anything is read:
//!
//! | bytes | what |
//! |---|---|
//! | 8 | the mark `racerun` followed by a zero byte |
//! | 4 | format number, little-endian ([`FORMAT`]) |
//! | 1 + n | what the file holds: its length, then ASCII (`partial`, `cell`, `sensitivity-partial`) |
//! | 8 | payload length in bytes, little-endian |
//! | payload | postcard |
//! | 32 | SHA-256 of every byte before it |
//!
//! A file from another format, of another kind, truncated, with bytes appended, or with
//! any byte changed is refused with a message saying which; the caller names the file.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// The mark every checked file starts with.
pub const MAGIC: &[u8; 8] = b"racerun\0";
/// The format this racerun writes and reads. Format 1 had a text tag and no checksum;
/// format 4 added each sweep cell's effect intervals.
pub const FORMAT: u32 = 4;
const DIGEST: usize = 32;

/// Encodes `value` as a checked file holding `kind`.
pub fn encode(kind: &str, value: &impl Serialize) -> Result<Vec<u8>, String> {
    let payload = postcard::to_stdvec(value).map_err(|e| e.to_string())?;
    let kind_len = u8::try_from(kind.len()).map_err(|_| "kind name too long".to_string())?;
    let mut out = Vec::with_capacity(payload.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.push(kind_len);
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&payload);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    Ok(out)
}

/// What a checked file says it holds, if it is one (for telling partials apart).
pub fn kind_of(bytes: &[u8]) -> Option<&str> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?.get(4..)?;
    let (&n, rest) = rest.split_first()?;
    std::str::from_utf8(rest.get(..usize::from(n))?).ok()
}

/// Decodes a checked file that must hold `kind` (see the module docs for what is refused).
pub fn decode<T: DeserializeOwned>(kind: &str, bytes: &[u8]) -> Result<T, String> {
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        if bytes.starts_with(b"racerun-") {
            return Err(
                "written by an earlier racerun (format 1, without a checksum); rerun it with \
                 this version"
                    .into(),
            );
        }
        return Err("not a racerun file (it does not start with racerun's mark)".into());
    };
    let damaged = |what: &str| format!("damaged ({what}); rerun the command that wrote it");
    let format = rest
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| damaged("truncated"))?;
    if format != FORMAT {
        return Err(format!(
            "in file format {format}, but this racerun reads format {FORMAT} (written by another \
             racerun version, or damaged); rerun it with this version"
        ));
    }
    let rest = &rest[4..];
    let (&n, rest) = rest.split_first().ok_or_else(|| damaged("truncated"))?;
    let found = rest
        .get(..usize::from(n))
        .ok_or_else(|| damaged("truncated"))?;
    let rest = &rest[usize::from(n)..];
    let len = rest
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
        .ok_or_else(|| damaged("truncated"))?;
    let header = MAGIC.len() + 4 + 1 + usize::from(n) + 8;
    let expected = (header as u128) + u128::from(len) + DIGEST as u128;
    if expected != bytes.len() as u128 {
        return Err(damaged(&format!(
            "it is {} bytes, its header says {expected}: truncated, or with bytes appended",
            bytes.len()
        )));
    }
    let (body, digest) = bytes.split_at(bytes.len() - DIGEST);
    if Sha256::digest(body).as_slice() != digest {
        return Err(damaged("its checksum does not match its content"));
    }
    if found != kind.as_bytes() {
        return Err(format!(
            "holds a racerun {}, not a {kind}",
            String::from_utf8_lossy(found)
        ));
    }
    let payload = &body[header..];
    let (value, left) =
        postcard::take_from_bytes::<T>(payload).map_err(|e| damaged(&e.to_string()))?;
    if !left.is_empty() {
        return Err(damaged(&format!("{} bytes after the content", left.len())));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_bits_round_trip() {
        let v = vec![f64::NAN, -0.0, 0.1 + 0.2, f64::MIN_POSITIVE / 3.0];
        let bytes = encode("cell", &v).unwrap();
        assert_eq!(kind_of(&bytes), Some("cell"));
        let back: Vec<f64> = decode("cell", &bytes).unwrap();
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            back.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let e = decode::<Vec<f64>>("partial", &bytes).unwrap_err();
        assert_eq!(e, "holds a racerun cell, not a partial");
    }

    #[test]
    fn every_flipped_byte_truncation_and_appendix_is_refused() {
        let value = (7u64, vec![1.5f64, f64::NAN], String::from("x"));
        let bytes = encode("cell", &value).unwrap();
        for i in 0..bytes.len() {
            for bit in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= bit;
                assert!(
                    decode::<(u64, Vec<f64>, String)>("cell", &bad).is_err(),
                    "byte {i} ^ {bit:#x} accepted"
                );
            }
        }
        for cut in 0..bytes.len() {
            assert!(decode::<(u64, Vec<f64>, String)>("cell", &bytes[..cut]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let e = decode::<(u64, Vec<f64>, String)>("cell", &longer).unwrap_err();
        assert!(e.contains("bytes appended"), "{e}");
        let e = decode::<u64>("cell", b"racerun-partial v1\nxyz").unwrap_err();
        assert!(e.contains("format 1"), "{e}");
        let e = decode::<u64>("cell", b"hello").unwrap_err();
        assert!(e.starts_with("not a racerun file"), "{e}");
    }
}
