//! Draws a die face as a PNG image, so the image reply needs no file and no network.

/// Width and height of the image in pixels.
const SIZE: usize = 96;

/// Draws the face showing `value` (1 to 6; other values are clamped) as PNG bytes.
pub(crate) fn dice_png(value: u8) -> Vec<u8> {
    let pixels = draw_face(value.clamp(1, 6));

    encode_png(SIZE, SIZE, &pixels)
}

/// Renders the face as RGB rows: a white die with a dark border and round pips.
fn draw_face(value: u8) -> Vec<[u8; 3]> {
    const LOW: f32 = 0.27;
    const MID: f32 = 0.5;
    const HIGH: f32 = 0.73;
    let pips: &[(f32, f32)] = match value {
        1 => &[(MID, MID)],
        2 => &[(LOW, LOW), (HIGH, HIGH)],
        3 => &[(LOW, LOW), (MID, MID), (HIGH, HIGH)],
        4 => &[(LOW, LOW), (HIGH, LOW), (LOW, HIGH), (HIGH, HIGH)],
        5 => &[
            (LOW, LOW),
            (HIGH, LOW),
            (MID, MID),
            (LOW, HIGH),
            (HIGH, HIGH),
        ],
        _ => &[
            (LOW, LOW),
            (HIGH, LOW),
            (LOW, MID),
            (HIGH, MID),
            (LOW, HIGH),
            (HIGH, HIGH),
        ],
    };

    #[allow(clippy::cast_precision_loss)]
    let size = SIZE as f32;
    let radius = size * 0.09;
    let mut pixels = vec![[255, 255, 255]; SIZE * SIZE];
    for (index, pixel) in pixels.iter_mut().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let (x, y) = ((index % SIZE) as f32 + 0.5, (index / SIZE) as f32 + 0.5);
        let border = x < 4.0 || y < 4.0 || x > size - 4.0 || y > size - 4.0;
        let in_pip = pips.iter().any(|(px, py)| {
            let (dx, dy) = (x - px * size, y - py * size);
            dx * dx + dy * dy <= radius * radius
        });
        if border {
            *pixel = [40, 40, 48];
        } else if in_pip {
            *pixel = if value == 1 {
                [200, 30, 40]
            } else {
                [20, 20, 28]
            };
        }
    }

    pixels
}

/// Encodes 8-bit RGB pixels as a PNG with stored (uncompressed) deflate blocks.
fn encode_png(width: usize, height: usize, pixels: &[[u8; 3]]) -> Vec<u8> {
    // Each row starts with filter type 0 (none).
    let mut raw = Vec::with_capacity(height * (width * 3 + 1));
    for row in pixels.chunks(width) {
        raw.push(0);
        raw.extend(row.iter().flatten());
    }

    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(0xFFFF).collect();
    for (index, block) in blocks.iter().enumerate() {
        let last = u8::from(index + 1 == blocks.len());
        let length = u16::try_from(block.len()).unwrap_or(u16::MAX);
        zlib.push(last);
        zlib.extend(length.to_le_bytes());
        zlib.extend((!length).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend(adler32(&raw).to_be_bytes());

    let mut header = Vec::with_capacity(13);
    header.extend(u32::try_from(width).unwrap_or(0).to_be_bytes());
    header.extend(u32::try_from(height).unwrap_or(0).to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), default compression, filter and interlace.
    header.extend([8, 2, 0, 0, 0]);

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    write_chunk(&mut png, *b"IHDR", &header);
    write_chunk(&mut png, *b"IDAT", &zlib);
    write_chunk(&mut png, *b"IEND", &[]);

    png
}

fn write_chunk(png: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    png.extend(u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
    let start = png.len();
    png.extend(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend(crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }

    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1_u32, 0_u32);
    for byte in bytes {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }

    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a PNG into `(kind, data)` chunks, checking each CRC.
    fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut chunks = Vec::new();
        let mut rest = &png[8..];
        while !rest.is_empty() {
            let length = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            let kind: [u8; 4] = rest[4..8].try_into().unwrap();
            let data = rest[8..8 + length].to_vec();
            let crc = u32::from_be_bytes(rest[8 + length..12 + length].try_into().unwrap());
            assert_eq!(crc, crc32(&rest[4..8 + length]), "CRC of {kind:?}");
            chunks.push((kind, data));
            rest = &rest[12 + length..];
        }

        chunks
    }

    #[test]
    fn every_face_is_a_valid_png() {
        for value in 1..=6 {
            let png = dice_png(value);
            let chunks = chunks(&png);
            let kinds: Vec<&[u8; 4]> = chunks.iter().map(|(kind, _)| kind).collect();
            assert_eq!(kinds, [b"IHDR", b"IDAT", b"IEND"]);
            assert_eq!(&chunks[0].1[..8], &[0, 0, 0, 96, 0, 0, 0, 96]);

            // Stored deflate blocks: the zlib payload carries the raw rows and their Adler-32.
            let zlib = &chunks[1].1;
            let raw_len = SIZE * (SIZE * 3 + 1);
            assert_eq!(zlib.len(), 2 + 5 + raw_len + 4);
            let raw = &zlib[7..7 + raw_len];
            assert_eq!(zlib[zlib.len() - 4..], adler32(raw).to_be_bytes());
        }
    }

    #[test]
    fn faces_differ() {
        assert_ne!(dice_png(1), dice_png(2));
        assert_eq!(dice_png(0), dice_png(1));
    }

    #[test]
    fn crc_of_known_input() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }
}
