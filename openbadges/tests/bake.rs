//! Baking and extraction: byte-exact round trips, replacement, 2.0 images, malformed input.

use chrono::{TimeZone, Utc};
use openbadges::bake::{self, BakeError, Extracted, Payload, png};
use openbadges::credential::{Achievement, CredentialBuilder, Profile, Recipient};
use openbadges::keys::KeyPair;
use openbadges::proof::{ProofOptions, default_suite};
use openbadges::verify::{VerifyOptions, verify_json};

fn sample_png(size: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(size, size, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const SVG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>
"#;

fn signed_json() -> Vec<u8> {
    let key = KeyPair::from_secret_bytes(&[3u8; 32]).unwrap();
    let unsigned = CredentialBuilder::new(
        "urn:uuid:7f3f4a52-2f2f-4c59-9b55-1c1d9e0b6d01",
        Profile::new(key.did(), "Issuer ]]> & <Co>"),
        Achievement::new(
            "https://example.org/a/1",
            "Badge ]]> with CDATA end",
            "Desc <b>&amp;</b>",
            "Do things",
        ),
        Recipient::hashed_email("e@example.org", "salt"),
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
    )
    .build()
    .unwrap()
    .to_value();
    let signed = default_suite()
        .sign(
            &unsigned,
            &key,
            &ProofOptions::at(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()),
        )
        .unwrap();
    serde_json::to_vec_pretty(&signed).unwrap()
}

fn v3_json(extracted: Extracted) -> Vec<u8> {
    match extracted {
        Extracted::V3(Payload::Json(bytes)) => bytes,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn png_round_trip_is_byte_exact_and_verifies() {
    let json = signed_json();
    let baked = bake::bake(&sample_png(64), &Payload::Json(json.clone())).unwrap();
    let out = v3_json(bake::extract(&baked).unwrap());
    assert_eq!(out, json);
    let report = verify_json(&out, &VerifyOptions::at(Utc::now()));
    assert!(report.is_valid(), "{report}");
    // The image still decodes.
    image::load_from_memory(&baked).unwrap();
}

#[test]
fn svg_round_trip_is_byte_exact_and_verifies() {
    let json = signed_json();
    let baked = bake::bake(SVG.as_bytes(), &Payload::Json(json.clone())).unwrap();
    let text = String::from_utf8(baked.clone()).unwrap();
    assert!(text.contains(r#"xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0""#));
    assert!(text.contains("<circle"));
    let out = v3_json(bake::extract(&baked).unwrap());
    assert_eq!(out, json);
    assert!(verify_json(&out, &VerifyOptions::at(Utc::now())).is_valid());
}

#[test]
fn rebaking_replaces_the_credential() {
    let first = Payload::Json(br#"{"first":true}"#.to_vec());
    let second = Payload::Json(br#"{"second":true}"#.to_vec());
    for image in [sample_png(8), SVG.as_bytes().to_vec()] {
        let once = bake::bake(&image, &first).unwrap();
        let twice = bake::bake(&once, &second).unwrap();
        assert_eq!(
            bake::extract(&twice).unwrap(),
            Extracted::V3(second.clone())
        );
        let needle: &[u8] = b"first";
        assert!(!twice.windows(needle.len()).any(|w| w == needle));
    }
    let rebaked = bake::bake(&bake::bake(&sample_png(8), &first).unwrap(), &second).unwrap();
    let pngs = png::chunks(&rebaked).unwrap();
    assert_eq!(pngs.last().unwrap().kind, *b"IEND");
    let itxt = pngs.iter().filter(|c| c.kind == *b"iTXt").count();
    assert_eq!(itxt, 1);
}

#[test]
fn jws_payloads_round_trip() {
    let jws = Payload::Jws("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl".into());
    for image in [sample_png(8), SVG.as_bytes().to_vec()] {
        let baked = bake::bake(&image, &jws).unwrap();
        assert_eq!(bake::extract(&baked).unwrap(), Extracted::V3(jws.clone()));
    }
}

#[test]
fn spec_style_pretty_printed_svg_is_read() {
    let svg = r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" viewBox="0 0 512 512">
  <openbadges:credential>
    <![CDATA[
       {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "x"}
    ]]>
  </openbadges:credential>
  <rect width="1" height="1"/>
</svg>"#;
    match bake::extract(svg.as_bytes()).unwrap() {
        Extracted::V3(Payload::Json(bytes)) => {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(v["id"], "x");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn open_badges_2_images_are_reported_as_2_0() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">
<openbadges:assertion verify="https://example.org/assertions/1"><![CDATA[{"uid":"1"}]]></openbadges:assertion></svg>"#;
    assert_eq!(
        bake::extract(svg.as_bytes()).unwrap(),
        Extracted::V2(Payload::Jws("https://example.org/assertions/1".into()))
    );
    // A 2.0 PNG: iTXt keyword `openbadges`.
    let png = sample_png(8);
    let chunks = png::chunks(&png).unwrap();
    let mut v2 = png::SIGNATURE.to_vec();
    for c in &chunks {
        if c.kind == *b"IEND" {
            let mut body = b"iTXtopenbadges\0\0\0\0\0{\"uid\":\"2\"}".to_vec();
            let crc = crc32fast::hash(&body);
            v2.extend_from_slice(&((body.len() - 4) as u32).to_be_bytes());
            v2.append(&mut body);
            v2.extend_from_slice(&crc.to_be_bytes());
        }
        v2.extend_from_slice(c.raw);
    }
    assert_eq!(
        bake::extract(&v2).unwrap(),
        Extracted::V2(Payload::Json(br#"{"uid":"2"}"#.to_vec()))
    );
    // Baking 3.0 over it replaces the 2.0 assertion.
    let rebaked = bake::bake(&v2, &Payload::Json(b"{}".to_vec())).unwrap();
    assert_eq!(
        bake::extract(&rebaked).unwrap(),
        Extracted::V3(Payload::Json(b"{}".to_vec()))
    );
}

#[test]
fn compressed_itxt_is_read() {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(b"{\"c\":1}").unwrap();
    let compressed = z.finish().unwrap();
    let mut body = b"iTXtopenbadgecredential\0\x01\x00\0\0".to_vec();
    body.extend_from_slice(&compressed);
    let crc = crc32fast::hash(&body);
    let png = sample_png(4);
    let iend = png.len() - 12;
    let mut out = png[..iend].to_vec();
    out.extend_from_slice(&((body.len() - 4) as u32).to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(&png[iend..]);
    assert_eq!(
        bake::extract(&out).unwrap(),
        Extracted::V3(Payload::Json(b"{\"c\":1}".to_vec()))
    );
}

#[test]
fn malformed_and_unbaked_inputs_are_errors() {
    let png = sample_png(4);
    assert!(matches!(bake::extract(&png), Err(BakeError::NotBaked)));
    assert!(matches!(
        bake::extract(SVG.as_bytes()),
        Err(BakeError::NotBaked)
    ));
    for cut in [9, 20, png.len() - 1] {
        assert!(bake::extract(&png[..cut]).is_err());
        assert!(bake::bake(&png[..cut], &Payload::Json(b"{}".to_vec())).is_err());
    }
    assert!(matches!(
        bake::extract(b"GIF89a"),
        Err(BakeError::UnsupportedFormat)
    ));
    assert!(bake::extract(b"<svg><openbadges:credential>").is_err());
    assert!(
        bake::bake(
            b"<?xml version=\"1.0\"?><html/>",
            &Payload::Json(b"{}".to_vec())
        )
        .is_err()
    );
    // Corrupted CRC in the badge chunk.
    let mut baked = bake::bake(&png, &Payload::Json(b"{}".to_vec())).unwrap();
    let n = baked.len();
    baked[n - 13] ^= 0xff;
    assert!(bake::extract(&baked).is_err());
    // A self-closing root gets a proper element.
    let baked = bake::bake(
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        &Payload::Json(b"{}".to_vec()),
    )
    .unwrap();
    assert_eq!(
        bake::extract(&baked).unwrap(),
        Extracted::V3(Payload::Json(b"{}".to_vec()))
    );
}
