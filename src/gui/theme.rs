//! Row colours: CMTrace's red error rows with yellow text and yellow warning
//! rows, derived from the current egui visuals so they stay legible in the
//! light and the dark theme.
//! Never fixes a colour the theme does not give (the light theme must stay
//! readable).

use egui::{Color32, Visuals};

use crate::model::Severity;

/// Background and text colour of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowColors {
    /// Row background (transparent for plain rows).
    pub background: Color32,
    /// Text colour.
    pub text: Color32,
}

fn mix(a: Color32, b: Color32, t: f32) -> Color32 {
    let lerp = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(lerp(a.r(), b.r()), lerp(a.g(), b.g()), lerp(a.b(), b.b()))
}

/// A readable text colour on `background`: the theme's strongest text colour
/// if it contrasts, otherwise the theme's panel colour.
fn text_on(background: Color32, visuals: &Visuals) -> Color32 {
    let luma =
        |c: Color32| 0.299 * f32::from(c.r()) + 0.587 * f32::from(c.g()) + 0.114 * f32::from(c.b());
    let strong = visuals.strong_text_color();
    let panel = visuals.panel_fill;
    if (luma(strong) - luma(background)).abs() >= (luma(panel) - luma(background)).abs() {
        strong
    } else {
        panel
    }
}

/// The colours of a row of `severity`.
pub fn severity_colors(severity: Severity, visuals: &Visuals) -> RowColors {
    // The hues are CMTrace's; their strength follows the theme.
    let red = visuals.error_fg_color;
    let yellow = mix(visuals.warn_fg_color, Color32::from_rgb(255, 255, 0), 0.8);
    match severity {
        Severity::Error => {
            let background = if visuals.dark_mode {
                mix(red, visuals.panel_fill, 0.35)
            } else {
                red
            };
            RowColors {
                background,
                text: mix(yellow, Color32::WHITE, 0.15),
            }
        }
        Severity::Warning => {
            let background = if visuals.dark_mode {
                mix(yellow, visuals.panel_fill, 0.55)
            } else {
                yellow
            };
            RowColors {
                background,
                text: text_on(background, visuals),
            }
        }
        Severity::Info => RowColors {
            background: Color32::TRANSPARENT,
            text: visuals.text_color(),
        },
    }
}

/// Colours of a highlighted row (the Highlight box) in the user's colour.
pub fn highlight_colors(rgb: [u8; 3], visuals: &Visuals) -> RowColors {
    let background = Color32::from_rgb(rgb[0], rgb[1], rgb[2]);
    RowColors {
        background,
        text: text_on(background, visuals),
    }
}

/// Colours of find hits inside the text: the theme's warning colour (orange),
/// which stands out on plain, selected, yellow and red rows alike.
pub fn find_hit_colors(visuals: &Visuals) -> RowColors {
    let background = visuals.warn_fg_color;
    RowColors {
        background,
        text: text_on(background, visuals),
    }
}

/// The colour chip of the `i`-th file of a merged view: hues spread by the
/// golden angle, with the theme's lightness so chips read on either background.
pub fn source_color(i: usize, visuals: &Visuals) -> Color32 {
    let hue = (i as f32 * 0.618_034).fract();
    let value = if visuals.dark_mode { 0.85 } else { 0.65 };
    egui::ecolor::Hsva::new(hue, 0.65, value, 1.0).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contrast(a: Color32, b: Color32) -> f32 {
        let luma = |c: Color32| {
            0.299 * f32::from(c.r()) + 0.587 * f32::from(c.g()) + 0.114 * f32::from(c.b())
        };
        (luma(a) - luma(b)).abs()
    }

    #[test]
    fn severity_rows_are_legible_in_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            for severity in [Severity::Error, Severity::Warning] {
                let c = severity_colors(severity, &visuals);
                assert!(
                    contrast(c.text, c.background) > 80.0,
                    "{severity:?} dark={}",
                    visuals.dark_mode
                );
            }
            let h = highlight_colors([255, 255, 0], &visuals);
            assert!(contrast(h.text, h.background) > 80.0);
            let f = find_hit_colors(&visuals);
            assert!(contrast(f.text, f.background) > 80.0);
        }
    }
}
