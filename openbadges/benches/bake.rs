//! Baking and extraction of a 512 px PNG badge and an SVG badge, plus status-list encoding.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use criterion::{Criterion, criterion_group, criterion_main};
use openbadges::bake::{self, Payload};
use openbadges::status_list::{MIN_ENTRIES, StatusList};
use std::hint::black_box;

fn badge_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(512, 512, |x, y| {
        let d = ((x as i32 - 256).pow(2) + (y as i32 - 256).pow(2)) as u32;
        if d < 240 * 240 {
            image::Rgba([30, (x / 2) as u8, (y / 2) as u8, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn bench(c: &mut Criterion) {
    let png = badge_png();
    let credential = vec![b'x'; 2300];
    let mut json = b"{\"credential\":\"".to_vec();
    json.extend_from_slice(&credential);
    json.extend_from_slice(b"\"}");
    let payload = Payload::Json(json);
    let baked = bake::bake(&png, &payload).unwrap();
    eprintln!(
        "512 px PNG: {} bytes, baked {} bytes",
        png.len(),
        baked.len()
    );
    c.bench_function("bake_png_512", |b| {
        b.iter(|| bake::bake(black_box(&png), &payload).unwrap())
    });
    c.bench_function("extract_png_512", |b| {
        b.iter(|| bake::extract(black_box(&baked)).unwrap())
    });

    let svg = format!(
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\">{}</svg>",
        "<circle cx=\"256\" cy=\"256\" r=\"200\" fill=\"#0a5\"/><path d=\"M10 10 L 500 500\"/>"
            .repeat(50)
    );
    let baked_svg = bake::bake(svg.as_bytes(), &payload).unwrap();
    c.bench_function("bake_svg", |b| {
        b.iter(|| bake::bake(black_box(svg.as_bytes()), &payload).unwrap())
    });
    c.bench_function("extract_svg", |b| {
        b.iter(|| bake::extract(black_box(&baked_svg)).unwrap())
    });

    let mut list = StatusList::new(MIN_ENTRIES).unwrap();
    list.set(1234, true).unwrap();
    let encoded = list.encode();
    c.bench_function("status_list_encode_131072", |b| {
        b.iter(|| black_box(&list).encode())
    });
    c.bench_function("status_list_decode_131072", |b| {
        b.iter(|| StatusList::decode(black_box(&encoded)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
