use std::sync::Arc;

use egui::epaint::{
    ClippedPrimitive, ColorImage, ImageData, ImageDelta, Mesh, Primitive, TextureId, Vertex,
    textures::TexturesDelta,
};
use egui::{Color32, Pos2, Rect, TextureOptions, pos2};

use super::{Canvas, Rasterizer};

const RED: Color32 = Color32::from_rgb(200, 30, 40);

fn vertex(x: f32, y: f32, color: Color32) -> Vertex {
    Vertex {
        pos: pos2(x, y),
        uv: egui::epaint::WHITE_UV,
        color,
    }
}

fn mesh(vertices: Vec<Vertex>, indices: Vec<u32>, texture: TextureId) -> Mesh {
    Mesh {
        indices,
        vertices,
        texture_id: texture,
    }
}

fn clipped(mesh: Mesh, clip: Rect) -> ClippedPrimitive {
    ClippedPrimitive {
        clip_rect: clip,
        primitive: Primitive::Mesh(mesh),
    }
}

fn everywhere() -> Rect {
    Rect::from_min_max(pos2(-1e6, -1e6), pos2(1e6, 1e6))
}

/// A quad as two triangles, corners `min`/`max`, one colour.
fn quad(min: Pos2, max: Pos2, color: Color32) -> Mesh {
    mesh(
        vec![
            vertex(min.x, min.y, color),
            vertex(max.x, min.y, color),
            vertex(min.x, max.y, color),
            vertex(max.x, max.y, color),
        ],
        vec![0, 1, 2, 2, 1, 3],
        TextureId::Managed(0),
    )
}

/// egui's font texture stand-in: a white texel at (0, 0) like egui's atlas.
fn white_texture() -> TexturesDelta {
    texture_delta(TextureId::Managed(0), 2, 2, |_, _| Color32::WHITE, None)
}

fn texture_delta(
    id: TextureId,
    w: usize,
    h: usize,
    texel: impl Fn(usize, usize) -> Color32,
    pos: Option<[usize; 2]>,
) -> TexturesDelta {
    let pixels = (0..w * h).map(|i| texel(i % w, i / w)).collect();
    let mut delta = TexturesDelta::default();
    delta.set.insert(
        id,
        std::iter::once(ImageDelta {
            image: ImageData::Color(Arc::new(ColorImage::new([w, h], pixels))),
            options: TextureOptions::LINEAR,
            pos,
        })
        .collect(),
    );
    delta
}

fn paint(
    meshes: Vec<ClippedPrimitive>,
    w: usize,
    h: usize,
    extra: Option<TexturesDelta>,
) -> Canvas {
    let mut r = Rasterizer::new();
    r.set_textures(&mut white_texture());
    if let Some(mut extra) = extra {
        r.set_textures(&mut extra);
    }
    let mut canvas = Canvas::new(w, h);
    r.paint(&mut canvas, &meshes, 1.0, Color32::BLACK);
    canvas
}

#[test]
fn an_axis_aligned_rectangle_covers_exactly_its_pixels() {
    let canvas = paint(
        vec![clipped(
            quad(pos2(3.0, 2.0), pos2(13.0, 70.0), RED),
            everywhere(),
        )],
        20,
        100,
        None,
    );
    for y in 0..100 {
        for x in 0..20 {
            let inside = (3..13).contains(&x) && (2..70).contains(&y);
            let want = if inside { RED } else { Color32::BLACK };
            assert_eq!(canvas.pixel(x, y), want, "pixel ({x}, {y})");
        }
    }
}

#[test]
fn translucent_triangles_sharing_an_edge_paint_each_pixel_once() {
    let half = Color32::from_rgba_premultiplied(100, 0, 0, 128);
    // A quad split along its diagonal, and a fan of four around its centre.
    let fan = mesh(
        vec![
            vertex(1.3, 1.7, half),
            vertex(30.6, 1.7, half),
            vertex(30.6, 25.2, half),
            vertex(1.3, 25.2, half),
            vertex(12.25, 9.5, half),
        ],
        vec![0, 1, 4, 1, 2, 4, 2, 3, 4, 3, 0, 4],
        TextureId::Managed(0),
    );
    for m in [quad(pos2(1.3, 1.7), pos2(30.6, 25.2), half), fan] {
        let canvas = paint(vec![clipped(m, everywhere())], 40, 40, None);
        for y in 0..40 {
            for x in 0..40 {
                let (cx, cy) = (x as f32 + 0.5, y as f32 + 0.5);
                let inside = (1.3..30.6).contains(&cx) && (1.7..25.2).contains(&cy);
                let want = if inside { 100 } else { 0 };
                assert_eq!(canvas.pixel(x, y).r(), want, "pixel ({x}, {y})");
            }
        }
    }
}

#[test]
fn the_clip_rectangle_bounds_the_paint() {
    let clip = Rect::from_min_max(pos2(5.0, 60.0), pos2(8.0, 130.0));
    let canvas = paint(
        vec![clipped(quad(pos2(0.0, 0.0), pos2(20.0, 200.0), RED), clip)],
        20,
        200,
        None,
    );
    for y in 0..200 {
        for x in 0..20 {
            let inside = (5..8).contains(&x) && (60..130).contains(&y);
            assert_eq!(canvas.pixel(x, y) == RED, inside, "pixel ({x}, {y})");
        }
    }
}

/// A naive bilinear sampler, straight from the definition.
fn bilinear(tex: &dyn Fn(i32, i32) -> [f32; 4], w: i32, h: i32, u: f32, v: f32) -> [f32; 4] {
    let (x, y) = (u * w as f32 - 0.5, v * h as f32 - 0.5);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |dx: i32, dy: i32| {
        tex(
            (x0 as i32 + dx).clamp(0, w - 1),
            (y0 as i32 + dy).clamp(0, h - 1),
        )
    };
    std::array::from_fn(|c| {
        let top = at(0, 0)[c] * (1.0 - fx) + at(1, 0)[c] * fx;
        let bottom = at(0, 1)[c] * (1.0 - fx) + at(1, 1)[c] * fx;
        top * (1.0 - fy) + bottom * fy
    })
}

fn textured_quad(min: Pos2, max: Pos2, uv: Rect, color: Color32, id: TextureId) -> Mesh {
    let v = |x: f32, y: f32, u: f32, w: f32| Vertex {
        pos: pos2(x, y),
        uv: pos2(u, w),
        color,
    };
    mesh(
        vec![
            v(min.x, min.y, uv.min.x, uv.min.y),
            v(max.x, min.y, uv.max.x, uv.min.y),
            v(min.x, max.y, uv.min.x, uv.max.y),
            v(max.x, max.y, uv.max.x, uv.max.y),
        ],
        vec![0, 1, 2, 2, 1, 3],
        id,
    )
}

#[test]
fn textures_match_a_naive_bilinear_sampler_at_one_to_one_and_scaled() {
    let id = TextureId::User(7);
    let (w, h) = (16usize, 12usize);
    let texel = |x: usize, y: usize| {
        let a = ((x * 37 + y * 11) % 256) as u8;
        Color32::from_rgba_premultiplied(a / 2, a / 3, a / 4, a)
    };
    let tex = |x: i32, y: i32| {
        texel(x as usize, y as usize)
            .to_array()
            .map(|c| f32::from(c) / 255.0)
    };
    let tint = Color32::from_rgba_premultiplied(255, 200, 128, 255);
    // Texel for texel (the fast path), then scaled 1.5× (the general one).
    for (size_x, size_y) in [(16.0, 12.0), (24.0, 18.0)] {
        let min = pos2(3.0, 5.0);
        let max = pos2(3.0 + size_x, 5.0 + size_y);
        let m = textured_quad(
            min,
            max,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            tint,
            id,
        );
        let canvas = paint(
            vec![clipped(m, everywhere())],
            40,
            40,
            Some(texture_delta(id, w, h, texel, None)),
        );
        for y in 5..(5 + size_y as usize) {
            for x in 3..(3 + size_x as usize) {
                let u = (x as f32 + 0.5 - min.x) / size_x;
                let v = (y as f32 + 0.5 - min.y) / size_y;
                let s = bilinear(&tex, w as i32, h as i32, u, v);
                let t = tint.to_array().map(|c| f32::from(c) / 255.0);
                // Over black: the premultiplied colour itself.
                let want = [0, 1, 2].map(|c| (s[c] * t[c] * 255.0).round() as i32);
                let got = canvas.pixel(x, y);
                let got = [got.r(), got.g(), got.b()].map(i32::from);
                for c in 0..3 {
                    assert!(
                        (got[c] - want[c]).abs() <= 1,
                        "{size_x}: pixel ({x}, {y}) channel {c}: {} vs {}",
                        got[c],
                        want[c]
                    );
                }
            }
        }
    }
}

#[test]
fn a_texture_patch_changes_only_its_texels_and_freed_textures_go() {
    let id = TextureId::User(1);
    let mut r = Rasterizer::new();
    r.set_textures(&mut texture_delta(id, 4, 4, |_, _| Color32::BLUE, None));
    r.set_textures(&mut texture_delta(
        id,
        2,
        1,
        |_, _| Color32::GREEN,
        Some([1, 2]),
    ));
    let m = textured_quad(
        pos2(0.0, 0.0),
        pos2(4.0, 4.0),
        Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
        Color32::WHITE,
        id,
    );
    let mut canvas = Canvas::new(4, 4);
    r.paint(
        &mut canvas,
        &[clipped(m, everywhere())],
        1.0,
        Color32::BLACK,
    );
    for y in 0..4 {
        for x in 0..4 {
            let patched = y == 2 && (1..3).contains(&x);
            let want = if patched {
                Color32::GREEN
            } else {
                Color32::BLUE
            };
            assert_eq!(canvas.pixel(x, y), want, "texel ({x}, {y})");
        }
    }
    let mut free = TexturesDelta::default();
    free.free.insert(id);
    r.free_textures(&mut free);
    assert_eq!(r.texture_count(), 0);
}

#[test]
fn broken_meshes_are_skipped_without_a_panic() {
    let mut bad = quad(pos2(0.0, 0.0), pos2(10.0, 10.0), RED);
    bad.indices.extend([0, 1, 99]); // out of range
    let nan = quad(pos2(f32::NAN, 0.0), pos2(10.0, 10.0), RED);
    let huge = quad(pos2(-1e30, -1e30), pos2(1e30, 1e30), Color32::GREEN);
    let inverted = clipped(quad(pos2(0.0, 0.0), pos2(5.0, 5.0), RED), Rect::NOTHING);
    let canvas = paint(
        vec![
            clipped(bad, everywhere()),
            clipped(nan, everywhere()),
            inverted,
            clipped(huge, Rect::from_min_max(pos2(2.0, 2.0), pos2(3.0, 3.0))),
        ],
        12,
        12,
        None,
    );
    assert_eq!(canvas.pixel(0, 0), RED);
    assert_eq!(canvas.pixel(2, 2), Color32::GREEN);
    let mut empty = Canvas::new(0, 0);
    Rasterizer::new().paint(&mut empty, &[], 1.0, Color32::BLACK);
}

#[test]
fn a_frame_taller_than_a_band_is_painted_in_every_band() {
    // 100 rows cross three bands; the triangle's rows must join up.
    let tri = mesh(
        vec![
            vertex(0.0, 0.0, RED),
            vertex(100.0, 0.0, RED),
            vertex(0.0, 100.0, RED),
        ],
        vec![0, 1, 2],
        TextureId::Managed(0),
    );
    let canvas = paint(vec![clipped(tri, everywhere())], 100, 100, None);
    for y in 0..100 {
        for x in 0..100 {
            let inside = (x as f32 + 0.5) + (y as f32 + 0.5) < 100.0;
            assert_eq!(canvas.pixel(x, y) == RED, inside, "pixel ({x}, {y})");
        }
    }
}

#[test]
fn an_egui_frame_paints_its_panel_and_a_filled_rectangle() {
    let ctx = egui::Context::default();
    let input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, egui::vec2(200.0, 120.0))),
        ..Default::default()
    };
    let mut output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("Hello");
            ui.painter().rect_filled(
                Rect::from_min_size(pos2(100.0, 60.0), egui::vec2(30.0, 20.0)),
                0.0,
                RED,
            );
        });
    });
    let panel = ctx.global_style().visuals.panel_fill;
    let primitives = ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
    let mut r = Rasterizer::new();
    let mut delta = output.textures_delta;
    r.set_textures(&mut delta);
    r.free_textures(&mut delta);
    let mut canvas = Canvas::new(200, 120);
    r.paint(
        &mut canvas,
        &primitives,
        output.pixels_per_point,
        Color32::BLACK,
    );
    assert_eq!(canvas.pixel(115, 70), RED);
    assert_eq!(canvas.pixel(190, 110), panel);
    // The label's text put some darker or lighter pixels near the top left.
    let text = (0..30)
        .flat_map(|y| (0..80).map(move |x| (x, y)))
        .filter(|&(x, y)| canvas.pixel(x, y) != panel)
        .count();
    assert!(text > 20, "only {text} text pixels");
}
