//! One textured, clipped triangle painted into a band of rows: scan-line
//! spans with a top-left fill rule, attributes from plane equations, and
//! three inner loops — a constant colour (rectangles, backgrounds), a
//! texture sampled texel-for-texel (text at its own size), and the general
//! case (feathered edges, gradients, scaled images).

use egui::epaint::Vertex;

use super::Texture;

/// A rectangle of whole pixels, `[x0, x1) × [y0, y1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PixelRect {
    pub(crate) x0: usize,
    pub(crate) y0: usize,
    pub(crate) x1: usize,
    pub(crate) y1: usize,
}

impl PixelRect {
    /// egui's clip rectangle (points) in pixels, rounded as egui's GPU
    /// renderers round a scissor rectangle, inside the canvas.
    pub(crate) fn from_clip(
        clip: egui::Rect,
        pixels_per_point: f32,
        width: usize,
        height: usize,
    ) -> PixelRect {
        let px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
        let x0 = px(clip.min.x, width);
        let y0 = px(clip.min.y, height);
        PixelRect {
            x0,
            y0,
            x1: px(clip.max.x, width).max(x0),
            y1: px(clip.max.y, height).max(y0),
        }
    }

    /// The part of this rectangle in rows `[top, bottom)`.
    pub(crate) fn within_rows(&self, top: usize, bottom: usize) -> PixelRect {
        let y0 = self.y0.max(top);
        PixelRect {
            y0,
            y1: self.y1.min(bottom).max(y0),
            ..*self
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }
}

/// Rows `[top, bottom)` of the canvas, `width` pixels each.
pub(crate) struct Band<'a> {
    pub(crate) pixels: &'a mut [u32],
    pub(crate) width: usize,
    pub(crate) top: usize,
    pub(crate) bottom: usize,
}

/// A value across the triangle: `at(x, y) = base + dx·x + dy·y`.
#[derive(Clone, Copy, Debug)]
struct Plane {
    base: f32,
    dx: f32,
    dy: f32,
}

impl Plane {
    #[inline]
    fn at(&self, x: f32, y: f32) -> f32 {
        self.base + self.dx * x + self.dy * y
    }

    fn is_flat(&self) -> bool {
        self.dx == 0.0 && self.dy == 0.0
    }
}

/// How the inner loop computes a pixel's colour.
enum Paint {
    /// The same premultiplied colour everywhere (0..255).
    Constant([u32; 4]),
    /// One vertex colour times texels taken one for one: pixel centres fall
    /// on texel centres, so bilinear filtering returns the texel itself.
    Texels {
        /// The vertex colour, 0..255.
        colour: [u32; 4],
        /// Texel coordinates of the pixel at (0, 0).
        u0: i64,
        v0: i64,
    },
    /// One texel (egui's white one, mostly) under colours that vary: the
    /// anti-aliasing strips along every shape's edge.
    Gradient([f32; 4]),
    /// Colour and texture coordinates interpolated per pixel.
    General,
}

/// A triangle in pixel coordinates, ready to paint.
pub(crate) struct Triangle {
    /// Corners sorted top to bottom (then left to right): the order makes
    /// a shared edge's crossings identical in both triangles.
    corners: [(f32, f32); 3],
    colour: [Plane; 4],
    u: Plane,
    v: Plane,
    paint: Paint,
}

fn plane(p: &[(f32, f32); 3], values: [f32; 3], area: f32) -> Plane {
    let (d1, d2) = (values[1] - values[0], values[2] - values[0]);
    let (e1, e2) = (
        (p[1].0 - p[0].0, p[1].1 - p[0].1),
        (p[2].0 - p[0].0, p[2].1 - p[0].1),
    );
    if d1 == 0.0 && d2 == 0.0 {
        return Plane {
            base: values[0],
            dx: 0.0,
            dy: 0.0,
        };
    }
    let dx = (d1 * e2.1 - d2 * e1.1) / area;
    let dy = (d2 * e1.0 - d1 * e2.0) / area;
    Plane {
        base: values[0] - dx * p[0].0 - dy * p[0].1,
        dx,
        dy,
    }
}

/// Texel offsets this close to a texel centre count as on it (well under
/// one colour level of the bilinear result).
const ON_TEXEL: f32 = 1.0 / 512.0;

impl Triangle {
    /// The triangle `vertices` (points) at `pixels_per_point`; `None` when
    /// it covers no area or its coordinates are not finite.
    pub(crate) fn new(
        vertices: [&Vertex; 3],
        pixels_per_point: f32,
        texture: Option<&Texture>,
    ) -> Option<Triangle> {
        let p = vertices.map(|v| (v.pos.x * pixels_per_point, v.pos.y * pixels_per_point));
        if p.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
            return None;
        }
        let area = (p[1].0 - p[0].0) * (p[2].1 - p[0].1) - (p[2].0 - p[0].0) * (p[1].1 - p[0].1);
        if area.abs() < 1e-6 {
            return None;
        }
        let (tw, th) = texture.map_or((1.0, 1.0), |t| (t.width as f32, t.height as f32));
        let colour: [Plane; 4] = std::array::from_fn(|c| {
            plane(
                &p,
                vertices.map(|v| f32::from(v.color.to_array()[c]) / 255.0),
                area,
            )
        });
        let u = plane(&p, vertices.map(|v| v.uv.x * tw), area);
        let v = plane(&p, vertices.map(|v| v.uv.y * th), area);
        let mut corners = p;
        corners.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
        let flat_colour = colour.iter().all(Plane::is_flat);
        let colour_at_origin = colour.map(|c| c.base);
        let flat_uv = u.is_flat() && v.is_flat();
        let paint = if !flat_colour && flat_uv {
            Paint::Gradient(texture.map_or([1.0; 4], |t| t.sample(u.base, v.base)))
        } else if !flat_colour {
            Paint::General
        } else if flat_uv {
            let texel = texture.map_or([1.0; 4], |t| t.sample(u.base, v.base));
            Paint::Constant(std::array::from_fn(|c| {
                to_level(colour_at_origin[c] * texel[c])
            }))
        } else if let Some((u0, v0)) = texel_for_texel(&u, &v) {
            Paint::Texels {
                colour: colour_at_origin.map(to_level),
                u0,
                v0,
            }
        } else {
            Paint::General
        };
        Some(Triangle {
            corners,
            colour,
            u,
            v,
            paint,
        })
    }

    /// Paints the pixels whose centres lie inside the triangle and inside
    /// `clip` (already within the band's rows).
    pub(crate) fn fill(&self, band: &mut Band<'_>, clip: &PixelRect, texture: Option<&Texture>) {
        let [a, b, c] = self.corners;
        let first = ((a.1 - 0.5).ceil().max(clip.y0 as f32) as usize).max(clip.y0);
        let end = ((c.1 - 0.5).ceil().max(0.0) as usize).min(clip.y1);
        let slope = |p: (f32, f32), q: (f32, f32)| {
            if q.1 == p.1 {
                0.0
            } else {
                (q.0 - p.0) / (q.1 - p.1)
            }
        };
        let (ac, ab, bc) = (slope(a, c), slope(a, b), slope(b, c));
        for row in first..end {
            let y = row as f32 + 0.5;
            let long = a.0 + (y - a.1) * ac;
            let short = if y < b.1 {
                a.0 + (y - a.1) * ab
            } else {
                b.0 + (y - b.1) * bc
            };
            let (left, right) = if long <= short {
                (long, short)
            } else {
                (short, long)
            };
            let x0 = ((left - 0.5).ceil().max(0.0) as usize).max(clip.x0);
            let x1 = ((right - 0.5).ceil().max(0.0) as usize).min(clip.x1);
            if x0 >= x1 {
                continue;
            }
            let start = (row - band.top) * band.width;
            let span = &mut band.pixels[start + x0..start + x1];
            self.fill_span(span, x0, row, texture);
        }
    }

    #[inline]
    fn fill_span(&self, span: &mut [u32], x0: usize, row: usize, texture: Option<&Texture>) {
        match (&self.paint, texture) {
            (Paint::Constant(src), _) => fill_constant(span, *src),
            (Paint::Texels { colour, u0, v0 }, Some(t)) => {
                let ty = (v0 + row as i64).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
                let first = u0 + x0 as i64;
                let inside = first >= 0 && first + span.len() as i64 <= t.width as i64;
                let texel_row = if inside && ty >= 0 && (ty as usize) < t.height {
                    let start = ty as usize * t.width + first as usize;
                    Some(&t.texels[start..start + span.len()])
                } else {
                    None
                };
                if let Some(texels) = texel_row {
                    // The usual case (a glyph inside the atlas): no wrapping.
                    for (px, texel) in span.iter_mut().zip(texels) {
                        if *texel != [0; 4] {
                            *px = blend_texel(*px, *texel, colour);
                        }
                    }
                } else {
                    for (i, px) in span.iter_mut().enumerate() {
                        let tx = (first + i as i64).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
                        let texel = t.texel(tx as i32, ty);
                        if texel != [0; 4] {
                            *px = blend_texel(*px, texel, colour);
                        }
                    }
                }
            }
            (Paint::Gradient(texel), _) => {
                // The colour planes stepped along the row.
                let (x, y) = (x0 as f32 + 0.5, row as f32 + 0.5);
                let mut colour: [f32; 4] = std::array::from_fn(|c| self.colour[c].at(x, y));
                let step: [f32; 4] = std::array::from_fn(|c| self.colour[c].dx);
                for px in span.iter_mut() {
                    let src: [u32; 4] =
                        std::array::from_fn(|c| to_level(colour[c].clamp(0.0, 1.0) * texel[c]));
                    if src != [0; 4] {
                        *px = blend(*px, src);
                    }
                    for c in 0..4 {
                        colour[c] += step[c];
                    }
                }
            }
            _ => {
                let y = row as f32 + 0.5;
                for (i, px) in span.iter_mut().enumerate() {
                    let x = (x0 + i) as f32 + 0.5;
                    let texel =
                        texture.map_or([1.0; 4], |t| t.sample(self.u.at(x, y), self.v.at(x, y)));
                    let src: [u32; 4] = std::array::from_fn(|c| {
                        to_level(self.colour[c].at(x, y).clamp(0.0, 1.0) * texel[c])
                    });
                    *px = blend(*px, src);
                }
            }
        }
    }
}

/// When `u` and `v` advance one texel per pixel along x and y and pixel
/// centres land on texel centres: the texel coordinates of pixel (0, 0).
fn texel_for_texel(u: &Plane, v: &Plane) -> Option<(i64, i64)> {
    let one = |d: f32| (d - 1.0).abs() < 1e-4;
    let zero = |d: f32| d.abs() < 1e-4;
    if !(one(u.dx) && zero(u.dy) && zero(v.dx) && one(v.dy)) {
        return None;
    }
    // u at the centre of pixel (0, 0), minus the half texel to its centre.
    let u0 = u.at(0.5, 0.5) - 0.5;
    let v0 = v.at(0.5, 0.5) - 0.5;
    let on = |t: f32| (t - t.round()).abs() < ON_TEXEL && t.abs() < 1e9;
    (on(u0) && on(v0)).then(|| (u0.round() as i64, v0.round() as i64))
}

/// A 0..1 value as a colour level 0..255, rounded.
#[inline]
fn to_level(v: f32) -> u32 {
    (v * 255.0 + 0.5).clamp(0.0, 255.0) as u32
}

/// `x / 255`, rounded, for `x` up to 255 · 255 (exact).
#[inline]
fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

/// Paints a constant premultiplied colour (0..255) over a span.
#[inline]
fn fill_constant(span: &mut [u32], src: [u32; 4]) {
    if src[3] == 255 {
        span.fill((src[0].min(255) << 16) | (src[1].min(255) << 8) | src[2].min(255));
    } else if src[..3] != [0, 0, 0] || src[3] != 0 {
        for px in span {
            *px = blend(*px, src);
        }
    }
}

/// A texel (premultiplied) times a vertex colour, painted over `dst`.
#[inline]
fn blend_texel(dst: u32, texel: [u8; 4], colour: &[u32; 4]) -> u32 {
    let src: [u32; 4] = std::array::from_fn(|c| div255(u32::from(texel[c]) * colour[c]));
    blend(dst, src)
}

/// `src + dst·(1 − αsrc)` with `src` premultiplied (levels 0..255; egui's
/// additive colours have α 0 and a colour, hence the clamp).
#[inline]
fn blend(dst: u32, src: [u32; 4]) -> u32 {
    let keep = 255 - src[3].min(255);
    let channel = |shift: u32, s: u32| {
        let d = (dst >> shift) & 0xff;
        (s + div255(d * keep)).min(255) << shift
    };
    channel(16, src[0]) | channel(8, src[1]) | channel(0, src[2])
}
