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

/// WCAG 2 relative luminance of an sRGB colour (0 black, 1 white).
fn luminance(c: Color32) -> f32 {
    let linear = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c.r()) + 0.7152 * linear(c.g()) + 0.0722 * linear(c.b())
}

/// WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white).
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG AA for normal text.
pub const MIN_TEXT_CONTRAST: f32 = 4.5;

/// `background` darkened (under light text) or lightened (under dark text),
/// keeping its hue, until `text` on it meets [`MIN_TEXT_CONTRAST`].
fn for_text(background: Color32, text: Color32) -> Color32 {
    let toward = if luminance(text) > luminance(background) {
        Color32::BLACK
    } else {
        Color32::WHITE
    };
    let mut shade = background;
    for step in 1..=20 {
        if contrast_ratio(text, shade) >= MIN_TEXT_CONTRAST {
            break;
        }
        shade = mix(background, toward, step as f32 * 0.05);
    }
    shade
}

fn mix(a: Color32, b: Color32, t: f32) -> Color32 {
    let lerp = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(lerp(a.r(), b.r()), lerp(a.g(), b.g()), lerp(a.b(), b.b()))
}

/// A readable text colour on `background`: the theme's strongest text colour
/// if it contrasts, otherwise the theme's panel colour.
fn text_on(background: Color32, visuals: &Visuals) -> Color32 {
    let strong = visuals.strong_text_color();
    let panel = visuals.panel_fill;
    if contrast_ratio(strong, background) >= contrast_ratio(panel, background) {
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
            let text = mix(yellow, Color32::WHITE, 0.15);
            let background = if visuals.dark_mode {
                mix(red, visuals.panel_fill, 0.35)
            } else {
                red
            };
            RowColors {
                background: for_text(background, text),
                text,
            }
        }
        Severity::Warning => {
            // CMTrace's yellow in both themes, a little softer in the dark.
            let background = if visuals.dark_mode {
                mix(yellow, visuals.panel_fill, 0.2)
            } else {
                yellow
            };
            let text = text_on(background, visuals);
            RowColors {
                background: for_text(background, text),
                text,
            }
        }
        Severity::Info => RowColors {
            background: Color32::TRANSPARENT,
            text: visuals.text_color(),
        },
    }
}

/// WCAG 2.1 minimum contrast of graphics (a mark, an icon) on their
/// background.
pub const MIN_GRAPHIC_CONTRAST: f32 = 3.0;

/// The green of a success mark on the panel: darkened (light theme) or
/// lightened (dark theme) until it meets [`MIN_GRAPHIC_CONTRAST`].
pub fn success_color(visuals: &Visuals) -> Color32 {
    let green = Color32::from_rgb(40, 170, 70);
    let toward = if visuals.dark_mode {
        Color32::WHITE
    } else {
        Color32::BLACK
    };
    let mut shade = green;
    for step in 1..=20 {
        if contrast_ratio(shade, visuals.panel_fill) >= MIN_GRAPHIC_CONTRAST {
            break;
        }
        shade = mix(green, toward, step as f32 * 0.05);
    }
    shade
}

/// Colours of a highlighted row (the Highlight box) in the user's colour.
pub fn highlight_colors(rgb: [u8; 3], visuals: &Visuals) -> RowColors {
    let background = Color32::from_rgb(rgb[0], rgb[1], rgb[2]);
    let text = text_on(background, visuals);
    RowColors {
        background: for_text(background, text),
        text,
    }
}

/// Colours of find hits inside the text: the theme's warning colour (orange),
/// which stands out on plain, selected, yellow and red rows alike.
pub fn find_hit_colors(visuals: &Visuals) -> RowColors {
    let background = visuals.warn_fg_color;
    let text = text_on(background, visuals);
    RowColors {
        background: for_text(background, text),
        text,
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

    #[test]
    fn contrast_ratio_is_wcags() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
        // #777777 on white is the textbook 4.48:1.
        let grey = Color32::from_gray(0x77);
        assert!((contrast_ratio(grey, Color32::WHITE) - 4.48).abs() < 0.01);
    }

    #[test]
    fn row_text_meets_wcag_aa_in_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            let theme = if visuals.dark_mode { "dark" } else { "light" };
            let mut rows = Vec::new();
            for severity in [Severity::Error, Severity::Warning, Severity::Info] {
                let c = severity_colors(severity, &visuals);
                let background = if c.background == Color32::TRANSPARENT {
                    visuals.panel_fill
                } else {
                    c.background
                };
                let ratio = contrast_ratio(c.text, background);
                assert!(
                    ratio >= MIN_TEXT_CONTRAST,
                    "{severity:?} {theme}: {ratio:.2}"
                );
                rows.push(background);
            }
            let h = highlight_colors([255, 255, 0], &visuals);
            assert!(contrast_ratio(h.text, h.background) >= MIN_TEXT_CONTRAST);
            // Find hits: readable, and set apart from red, yellow and plain rows.
            let f = find_hit_colors(&visuals);
            let ratio = contrast_ratio(f.text, f.background);
            assert!(ratio >= MIN_TEXT_CONTRAST, "find hit {theme}: {ratio:.2}");
            for row in rows {
                assert_ne!(f.background, row, "find hit {theme}");
                let apart = contrast_ratio(f.background, row);
                let hue_apart = (f32::from(f.background.g()) - f32::from(row.g())).abs() > 40.0
                    || (f32::from(f.background.r()) - f32::from(row.r())).abs() > 40.0;
                assert!(
                    apart >= 1.3 || hue_apart,
                    "find hit on {row:?} {theme}: {apart:.2}"
                );
            }
        }
    }

    #[test]
    fn success_marks_are_green_and_stand_out_in_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            let c = success_color(&visuals);
            assert!(c.g() > c.r() && c.g() > c.b(), "{c:?} is green");
            for background in [visuals.panel_fill, visuals.faint_bg_color] {
                let ratio = contrast_ratio(c, background);
                assert!(
                    ratio >= MIN_GRAPHIC_CONTRAST,
                    "{c:?} on {background:?}: {ratio:.2}"
                );
            }
        }
    }

    #[test]
    fn warnings_are_yellow_in_both_themes() {
        for visuals in [Visuals::light(), Visuals::dark()] {
            let c = severity_colors(Severity::Warning, &visuals).background;
            // Yellow: strong red and green, little blue.
            assert!(c.r() > 150 && c.g() > 150 && c.b() < 100, "{c:?}");
        }
    }
}
