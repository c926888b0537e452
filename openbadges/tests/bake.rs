//! Baking and extraction: byte-exact round trips, replacement, 2.0 images, malformed input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use chrono::{TimeZone, Utc};
use openbadges::bake::{self, BakeError, Baked, BakingIssue, Extracted, Payload, png};
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

/// What extracting a conformant image gives: the credential and no issues.
fn conformant(baked: Baked) -> Extracted {
    Extracted {
        baked,
        issues: Vec::new(),
    }
}

fn v3_json(extracted: Extracted) -> Vec<u8> {
    assert_eq!(extracted.issues, [], "our own baking breaks no rule");
    match extracted.baked {
        Baked::V3(Payload::Json(bytes)) => bytes,
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
            conformant(Baked::V3(second.clone()))
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
        assert_eq!(
            bake::extract(&baked).unwrap(),
            conformant(Baked::V3(jws.clone()))
        );
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
    let extracted = bake::extract(svg.as_bytes()).unwrap();
    assert_eq!(
        extracted.issues,
        [],
        "the spec's own example breaks no rule"
    );
    match extracted.baked {
        Baked::V3(Payload::Json(bytes)) => {
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
        conformant(Baked::V2(Payload::Jws(
            "https://example.org/assertions/1".into()
        )))
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
        conformant(Baked::V2(Payload::Json(br#"{"uid":"2"}"#.to_vec())))
    );
    // Baking 3.0 over it replaces the 2.0 assertion.
    let rebaked = bake::bake(&v2, &Payload::Json(b"{}".to_vec())).unwrap();
    assert_eq!(
        bake::extract(&rebaked).unwrap(),
        conformant(Baked::V3(Payload::Json(b"{}".to_vec())))
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
        Extracted {
            baked: Baked::V3(Payload::Json(b"{\"c\":1}".to_vec())),
            issues: vec![BakingIssue::PngCompressed],
        }
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
        conformant(Baked::V3(Payload::Json(b"{}".to_vec())))
    );
}

/// A complete PNG chunk (length, type, data, CRC).
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let mut out = ((body.len() - 4) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    out
}

fn zlib(text: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(text).unwrap();
    z.finish().unwrap()
}

/// `iTXt` with keyword `openbadgecredential`, compressed or not.
fn itxt(text: &[u8], compressed: bool) -> Vec<u8> {
    let mut data = b"openbadgecredential\0".to_vec();
    data.extend_from_slice(if compressed {
        b"\x01\x00\0\0"
    } else {
        b"\x00\x00\0\0"
    });
    data.extend_from_slice(&if compressed {
        zlib(text)
    } else {
        text.to_vec()
    });
    chunk(b"iTXt", &data)
}

fn text_chunk(text: &[u8]) -> Vec<u8> {
    let mut data = b"openbadgecredential\0".to_vec();
    data.extend_from_slice(text);
    chunk(b"tEXt", &data)
}

fn ztxt(text: &[u8]) -> Vec<u8> {
    let mut data = b"openbadgecredential\0\x00".to_vec();
    data.extend_from_slice(&zlib(text));
    chunk(b"zTXt", &data)
}

/// A real PNG with `chunks` inserted before `IEND`.
fn png_with(chunks: &[Vec<u8>]) -> Vec<u8> {
    let png = sample_png(4);
    let iend = png.len() - 12;
    let mut out = png[..iend].to_vec();
    for c in chunks {
        out.extend_from_slice(c);
    }
    out.extend_from_slice(&png[iend..]);
    image::load_from_memory(&out).expect("still a PNG");
    out
}

fn json(text: &str) -> Baked {
    Baked::V3(Payload::Json(text.as_bytes().to_vec()))
}

fn extracted(baked: Baked, issues: Vec<BakingIssue>) -> Extracted {
    Extracted { baked, issues }
}

#[test]
fn png_baking_rules_are_reported() {
    let (a, b) = (br#"{"a":1}"#.as_slice(), br#"{"b":2}"#.as_slice());
    let cases: Vec<(Vec<Vec<u8>>, Extracted)> = vec![
        (vec![itxt(a, false)], extracted(json(r#"{"a":1}"#), vec![])),
        (
            vec![text_chunk(a)],
            extracted(
                json(r#"{"a":1}"#),
                vec![BakingIssue::PngNotItxt { chunk: "tEXt" }],
            ),
        ),
        (
            vec![ztxt(a)],
            extracted(
                json(r#"{"a":1}"#),
                vec![
                    BakingIssue::PngNotItxt { chunk: "zTXt" },
                    BakingIssue::PngCompressed,
                ],
            ),
        ),
        (
            vec![itxt(a, false), itxt(b, false)],
            extracted(
                json(r#"{"a":1}"#),
                vec![BakingIssue::MultipleCredentials {
                    count: 2,
                    read: 1,
                    identical: false,
                }],
            ),
        ),
        (
            vec![itxt(a, false), itxt(a, true)],
            extracted(
                json(r#"{"a":1}"#),
                vec![BakingIssue::MultipleCredentials {
                    count: 2,
                    read: 1,
                    identical: true,
                }],
            ),
        ),
        // The spec reads the first *iTXt* chunk with the keyword, not the first text chunk.
        (
            vec![text_chunk(a), itxt(b, false)],
            extracted(
                json(r#"{"b":2}"#),
                vec![BakingIssue::MultipleCredentials {
                    count: 2,
                    read: 2,
                    identical: false,
                }],
            ),
        ),
    ];
    for (chunks, expected) in cases {
        let png = png_with(&chunks);
        assert_eq!(bake::extract(&png).unwrap(), expected);
        // Baking over a rule-breaking image always gives a conformant one.
        let rebaked = bake::bake(&png, &Payload::Json(b"{}".to_vec())).unwrap();
        assert_eq!(bake::extract(&rebaked).unwrap(), conformant(json("{}")));
    }
    let many: Vec<Vec<u8>> = (0..=bake::MAX_CREDENTIALS_PER_IMAGE)
        .map(|_| itxt(a, false))
        .collect();
    assert!(matches!(
        bake::extract(&png_with(&many)),
        Err(BakeError::TooManyCredentials)
    ));
}

const V3_ROOT: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">"#;

#[test]
fn svg_baking_rules_are_reported() {
    let jws = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2ln";
    let cases: Vec<(String, Baked, Vec<BakingIssue>)> = vec![
        (
            format!(r#"{V3_ROOT}<openbadges:credential><![CDATA[{{"a":1}}]]></openbadges:credential><rect/></svg>"#),
            json(r#"{"a":1}"#),
            vec![],
        ),
        (
            format!(r#"{V3_ROOT}<openbadges:credential verify="{jws}"/></svg>"#),
            Baked::V3(Payload::Jws(jws.into())),
            vec![],
        ),
        (
            format!(r#"{V3_ROOT}<openbadges:credential>{{&quot;a&quot;:1}}</openbadges:credential></svg>"#),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgNotCdata],
        ),
        (
            format!(r#"{V3_ROOT}<openbadges:credential>{{"a":<![CDATA[1}}]]></openbadges:credential></svg>"#),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgNotCdata],
        ),
        (
            format!(r#"{V3_ROOT}<rect/><openbadges:credential><![CDATA[{{"a":1}}]]></openbadges:credential></svg>"#),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgPosition],
        ),
        (
            format!(r#"{V3_ROOT}<g><openbadges:credential><![CDATA[{{"a":1}}]]></openbadges:credential></g></svg>"#),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgPosition],
        ),
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><![CDATA[{"a":1}]]></openbadges:credential></svg>"#.into(),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgDeclaration],
        ),
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential><![CDATA[{"a":1}]]></ob:credential></svg>"#.into(),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgDeclaration],
        ),
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:credential><![CDATA[{"a":1}]]></openbadges:credential></svg>"#.into(),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgNamespace {
                namespace: Some("http://openbadges.org".into()),
            }],
        ),
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential><![CDATA[{"a":1}]]></openbadges:credential></svg>"#.into(),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgNamespace { namespace: None }],
        ),
        (
            format!(r#"{V3_ROOT}<openbadges:credential><![CDATA[{jws}]]></openbadges:credential></svg>"#),
            Baked::V3(Payload::Jws(jws.into())),
            vec![BakingIssue::SvgJwsInBody],
        ),
        (
            format!(r#"{V3_ROOT}<openbadges:credential verify="{{&quot;a&quot;:1}}"/></svg>"#),
            json(r#"{"a":1}"#),
            vec![BakingIssue::SvgJsonInVerify],
        ),
        (
            format!(r#"{V3_ROOT}<openbadges:credential verify="{jws}"><![CDATA[{{"a":1}}]]></openbadges:credential></svg>"#),
            Baked::V3(Payload::Jws(jws.into())),
            vec![BakingIssue::SvgVerifyAndBody],
        ),
        (
            format!(
                r#"{V3_ROOT}<openbadges:credential><![CDATA[{{"a":1}}]]></openbadges:credential><openbadges:credential><![CDATA[{{"b":2}}]]></openbadges:credential></svg>"#
            ),
            json(r#"{"a":1}"#),
            vec![BakingIssue::MultipleCredentials {
                count: 2,
                read: 1,
                identical: false,
            }],
        ),
        (
            format!(
                r#"{V3_ROOT}<openbadges:credential><![CDATA[{{"a":1}}]]></openbadges:credential><g><openbadges:credential><![CDATA[{{"a":1}}]]></openbadges:credential></g></svg>"#
            ),
            json(r#"{"a":1}"#),
            vec![BakingIssue::MultipleCredentials {
                count: 2,
                read: 1,
                identical: true,
            }],
        ),
        // A misplaced element first: the one in the 3.0 namespace is read, as a
        // namespace-aware reader following the spec would.
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential xmlns:openbadges="urn:other"><![CDATA[{"x":0}]]></openbadges:credential><ob:credential><![CDATA[{"a":1}]]></ob:credential></svg>"#.into(),
            json(r#"{"a":1}"#),
            vec![
                BakingIssue::SvgDeclaration,
                BakingIssue::SvgPosition,
                BakingIssue::MultipleCredentials {
                    count: 2,
                    read: 2,
                    identical: false,
                },
            ],
        ),
    ];
    for (svg, baked, issues) in cases {
        assert_eq!(
            bake::extract(svg.as_bytes()).unwrap(),
            extracted(baked, issues),
            "{svg}"
        );
        let rebaked = bake::bake(svg.as_bytes(), &Payload::Json(b"{}".to_vec())).unwrap();
        assert_eq!(
            bake::extract(&rebaked).unwrap(),
            conformant(json("{}")),
            "{}",
            String::from_utf8_lossy(&rebaked)
        );
    }
    let many = format!(
        "{V3_ROOT}{}</svg>",
        r#"<openbadges:credential verify="a.b.c"/>"#.repeat(bake::MAX_CREDENTIALS_PER_IMAGE + 1)
    );
    assert!(matches!(
        bake::extract(many.as_bytes()),
        Err(BakeError::TooManyCredentials)
    ));
}

#[test]
fn baking_issues_serialise_with_their_rule() {
    let issue = BakingIssue::MultipleCredentials {
        count: 2,
        read: 1,
        identical: false,
    };
    assert_eq!(
        serde_json::to_value(&issue).unwrap(),
        serde_json::json!({"rule": "multiple_credentials", "count": 2, "read": 1, "identical": false})
    );
    assert_eq!(
        serde_json::to_value(BakingIssue::PngNotItxt { chunk: "tEXt" }).unwrap(),
        serde_json::json!({"rule": "png_not_itxt", "chunk": "tEXt"})
    );
    assert!(issue.to_string().contains("DIFFER"), "{issue}");
}

#[test]
fn extraction_limits_are_errors_not_panics() {
    // 70 000 levels: beyond quick-xml's u16 nesting counter, which panics in debug builds.
    for levels in [openbadges::xml::MAX_DEPTH + 1, 70_000] {
        let deep = format!(
            "{V3_ROOT}{}{}</svg>",
            "<g>".repeat(levels),
            "</g>".repeat(levels)
        );
        assert!(matches!(
            bake::extract(deep.as_bytes()),
            Err(BakeError::TooComplex(_))
        ));
        assert!(matches!(
            bake::bake(deep.as_bytes(), &Payload::Json(b"{}".to_vec())),
            Err(BakeError::TooComplex(_))
        ));
    }
    let mut huge = sample_png(4);
    huge.resize(bake::MAX_IMAGE_BYTES + 1, 0);
    assert!(matches!(
        bake::extract(&huge),
        Err(BakeError::ImageTooLarge { .. })
    ));
    assert!(matches!(
        bake::bake(&huge, &Payload::Json(b"{}".to_vec())),
        Err(BakeError::ImageTooLarge { .. })
    ));
}

#[test]
fn baking_keeps_root_attribute_values_escaped() {
    // The root tag is rebuilt from raw attribute bytes: escaped values must stay escaped
    // (never decoded and written raw), and a single-quoted value keeps its quotes.
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" id="a&quot; onload=&quot;x()" class='say "hi" &lt;b&gt;' data-x="&#60;script&#62;"><rect/></svg>"#;
    let baked = bake::bake(svg.as_bytes(), &Payload::Json(b"{}".to_vec())).unwrap();
    let text = String::from_utf8(baked).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("id"), Some(r#"a" onload="x()"#));
    assert_eq!(root.attribute("class"), Some(r#"say "hi" <b>"#));
    assert_eq!(root.attribute("data-x"), Some("<script>"));
    assert_eq!(root.attribute("onload"), None, "{text}");
    assert_eq!(
        bake::extract(text.as_bytes()).unwrap(),
        conformant(json("{}"))
    );
}
