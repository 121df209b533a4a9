//! The CPU renderer: paints egui's tessellated output (`ClippedPrimitive`s
//! and `TexturesDelta`s) into a pixel buffer, for windows where no GPU
//! context exists (WinPE, the inbox display driver, RDP, VMs without 3D).
//! Knows nothing of windows or of the app: the CPU host hands it meshes and
//! presents the [`Canvas`].
//!
//! It computes what egui's GPU renderers compute: gamma-space colours,
//! premultiplied alpha (`src + dst·(1−αsrc)`), vertex colours times a
//! bilinearly filtered texel sampled at texel centres, pixel centres at
//! `+0.5` and a top-left fill rule, so shared triangle edges (egui's
//! feathering strips) are painted exactly once. Rows are split into bands
//! that rayon paints in parallel.

mod triangle;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, ImageDelta, Primitive, TextureId, textures::TexturesDelta};
use egui::{Color32, TextureFilter, TextureWrapMode};
use rayon::prelude::*;

use triangle::{Band, PixelRect, Triangle};

/// An opaque picture, one `u32` per pixel as `0x00RRGGBB` (what softbuffer
/// presents), rows top to bottom.
#[derive(Clone, Debug, Default)]
pub struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u32>,
}

impl Canvas {
    /// A black canvas of `width` × `height` pixels.
    pub fn new(width: usize, height: usize) -> Canvas {
        Canvas {
            width,
            height,
            pixels: vec![0; width * height],
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The pixels, `0x00RRGGBB`, row by row.
    pub fn pixels(&self) -> &[u32] {
        &self.pixels
    }

    /// Changes the size; the content is undefined until the next paint.
    pub fn resize(&mut self, width: usize, height: usize) {
        if (width, height) != (self.width, self.height) {
            self.width = width;
            self.height = height;
            self.pixels.clear();
            self.pixels.resize(width * height, 0);
        }
    }

    /// The pixel at `(x, y)` as an opaque colour.
    pub fn pixel(&self, x: usize, y: usize) -> Color32 {
        let p = self.pixels[y * self.width + x];
        Color32::from_rgb((p >> 16) as u8, (p >> 8) as u8, p as u8)
    }

    /// The pixels as RGBA bytes (alpha 255), for images and comparisons.
    pub fn to_rgba(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.pixels.len() * 4);
        for p in &self.pixels {
            out.extend_from_slice(&[(p >> 16) as u8, (p >> 8) as u8, *p as u8, 255]);
        }
        out
    }
}

/// One texture as egui uploaded it: premultiplied sRGBA texels.
#[derive(Clone, Debug)]
pub(crate) struct Texture {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) texels: Vec<[u8; 4]>,
    pub(crate) nearest: bool,
    pub(crate) wrap: TextureWrapMode,
}

impl Texture {
    /// The texel at integer coordinates, wrapped or clamped as egui asked.
    #[inline]
    pub(crate) fn texel(&self, x: i32, y: i32) -> [u8; 4] {
        let x = wrap(x, self.width, self.wrap);
        let y = wrap(y, self.height, self.wrap);
        self.texels[y * self.width + x]
    }

    /// The filtered colour at texel coordinates `(u, v)` (texels, not
    /// 0..1), as floats 0..1: bilinear between the four nearest texel
    /// centres, or the nearest texel.
    #[inline]
    pub(crate) fn sample(&self, u: f32, v: f32) -> [f32; 4] {
        if self.nearest {
            let t = self.texel(u.floor() as i32, v.floor() as i32);
            return t.map(|c| f32::from(c) / 255.0);
        }
        let (x, y) = (u - 0.5, v - 0.5);
        let (fx, fy) = (x.floor(), y.floor());
        let (tx, ty) = (x - fx, y - fy);
        let (ix, iy) = (fx as i32, fy as i32);
        let tl = self.texel(ix, iy);
        let tr = self.texel(ix + 1, iy);
        let bl = self.texel(ix, iy + 1);
        let br = self.texel(ix + 1, iy + 1);
        let mut out = [0.0; 4];
        for c in 0..4 {
            let top = f32::from(tl[c]) + (f32::from(tr[c]) - f32::from(tl[c])) * tx;
            let bottom = f32::from(bl[c]) + (f32::from(br[c]) - f32::from(bl[c])) * tx;
            out[c] = (top + (bottom - top) * ty) / 255.0;
        }
        out
    }
}

fn wrap(at: i32, size: usize, mode: TextureWrapMode) -> usize {
    let size = size.max(1) as i32;
    let at = match mode {
        TextureWrapMode::ClampToEdge => at.clamp(0, size - 1),
        TextureWrapMode::Repeat => at.rem_euclid(size),
        TextureWrapMode::MirroredRepeat => {
            let phase = at.rem_euclid(2 * size);
            phase.min(2 * size - 1 - phase)
        }
    };
    at as usize
}

/// Paints egui frames on the CPU; keeps the textures egui uploaded.
#[derive(Default)]
pub struct Rasterizer {
    textures: HashMap<TextureId, Texture>,
}

/// Rows per band: small enough that two cores share a frame evenly, large
/// enough that a band's pass over the triangle list is cheap.
const BAND_ROWS: usize = 48;

impl Rasterizer {
    /// An empty renderer (no textures yet).
    pub fn new() -> Rasterizer {
        Rasterizer::default()
    }

    /// Applies the new and changed textures of a frame; call before
    /// [`Rasterizer::paint`]. Takes them out of `delta` (egui checks that
    /// every delta was handled).
    pub fn set_textures(&mut self, delta: &mut TexturesDelta) {
        for (id, deltas) in delta.set.drain() {
            for image in &deltas {
                self.set_texture(id, image);
            }
        }
    }

    /// Frees the textures a frame is done with; call after painting it.
    pub fn free_textures(&mut self, delta: &mut TexturesDelta) {
        for id in delta.free.drain() {
            self.textures.remove(&id);
        }
    }

    /// How many textures are alive.
    pub fn texture_count(&self) -> usize {
        self.textures.len()
    }

    fn set_texture(&mut self, id: TextureId, delta: &ImageDelta) {
        let egui::ImageData::Color(image) = &delta.image;
        let [w, h] = image.size;
        let texels = image.pixels.iter().map(|c| c.to_array());
        let nearest = delta.options.magnification == TextureFilter::Nearest;
        match delta.pos {
            None => {
                self.textures.insert(
                    id,
                    Texture {
                        width: w,
                        height: h,
                        texels: texels.collect(),
                        nearest,
                        wrap: delta.options.wrap_mode,
                    },
                );
            }
            Some([x0, y0]) => {
                let Some(texture) = self.textures.get_mut(&id) else {
                    return; // A patch for a texture never set: nothing to patch.
                };
                for (i, texel) in texels.enumerate() {
                    let (x, y) = (x0 + i % w.max(1), y0 + i / w.max(1));
                    if x < texture.width && y < texture.height {
                        texture.texels[y * texture.width + x] = texel;
                    }
                }
            }
        }
    }

    /// Paints `primitives` (positions in points) over `clear` into
    /// `canvas`, `pixels_per_point` pixels to a point.
    pub fn paint(
        &self,
        canvas: &mut Canvas,
        primitives: &[ClippedPrimitive],
        pixels_per_point: f32,
        clear: Color32,
    ) {
        let (width, height) = (canvas.width, canvas.height);
        self.paint_into(
            &mut canvas.pixels,
            width,
            height,
            primitives,
            pixels_per_point,
            clear,
        );
    }

    /// Paints into `pixels` (`0x00RRGGBB`, `width` × `height`, row by row):
    /// a window's buffer, so a frame is not copied on its way to the screen.
    pub fn paint_into(
        &self,
        pixels: &mut [u32],
        width: usize,
        height: usize,
        primitives: &[ClippedPrimitive],
        pixels_per_point: f32,
        clear: Color32,
    ) {
        if width == 0 || height == 0 || pixels.len() < width * height {
            return;
        }
        let pixels = &mut pixels[..width * height];
        let clear = pack(clear.to_opaque());
        let meshes: Vec<(PixelRect, &egui::epaint::Mesh, Option<&Texture>)> = primitives
            .iter()
            .filter_map(|p| match &p.primitive {
                Primitive::Mesh(mesh) => Some((
                    PixelRect::from_clip(p.clip_rect, pixels_per_point, width, height),
                    mesh,
                    self.textures.get(&mesh.texture_id),
                )),
                Primitive::Callback(_) => None, // The viewer paints no callbacks.
            })
            .filter(|(clip, mesh, _)| !clip.is_empty() && !mesh.indices.is_empty())
            .collect();
        pixels
            .par_chunks_mut(width * BAND_ROWS)
            .enumerate()
            .for_each(|(i, rows)| {
                rows.fill(clear);
                let top = i * BAND_ROWS;
                let bottom = top + rows.len() / width;
                let mut band = Band {
                    pixels: rows,
                    width,
                    top,
                    bottom,
                };
                for (clip, mesh, texture) in &meshes {
                    let clip = clip.within_rows(band.top, band.bottom);
                    if clip.is_empty() {
                        continue;
                    }
                    for tri in mesh.indices.chunks_exact(3) {
                        let vertex = |i: u32| mesh.vertices.get(i as usize);
                        let (Some(a), Some(b), Some(c)) =
                            (vertex(tri[0]), vertex(tri[1]), vertex(tri[2]))
                        else {
                            continue; // A bad index is egui's bug; skip, never panic.
                        };
                        // Most triangles lie in other bands: skip them before any setup.
                        let y = [a.pos.y, b.pos.y, c.pos.y].map(|y| y * pixels_per_point);
                        let (low, high) = (y[0].min(y[1]).min(y[2]), y[0].max(y[1]).max(y[2]));
                        if !(high >= clip.y0 as f32 && low <= clip.y1 as f32) {
                            continue;
                        }
                        if let Some(t) = Triangle::new([a, b, c], pixels_per_point, *texture) {
                            t.fill(&mut band, &clip, *texture);
                        }
                    }
                }
            });
    }
}

/// `0x00RRGGBB` from an opaque colour.
fn pack(c: Color32) -> u32 {
    (u32::from(c.r()) << 16) | (u32::from(c.g()) << 8) | u32::from(c.b())
}
