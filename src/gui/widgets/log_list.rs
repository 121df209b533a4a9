//! The virtualised log list: a header with resizable columns (CMTrace's order
//! Log Text, Component, Date/Time, Thread), rows painted from
//! `LogTab::rows` for the visible range only, scrolling in whole rows with its
//! own scrollbar (pixel offsets in f32 break down past a few million rows),
//! CMTrace colours, selection with click/Shift/Ctrl, and keyboard navigation.
//! Never imports a panel; reads rows only through the tab.

use std::ops::Range;

use egui::text::{LayoutJob, TextFormat};
use egui::{
    Align2, Color32, CursorIcon, FontId, Id, Key, Modifiers, Rect, Sense, Stroke, Ui, pos2, vec2,
};

use crate::formats::LogFormat;
use crate::gui::settings::Settings;
use crate::gui::theme;
use crate::gui::view::{Highlight, LogTab, thread_text};

/// The first line of a message, shortened for painting.
pub fn first_line(message: &str) -> (&str, bool) {
    let line = message.split(['\r', '\n']).next().unwrap_or("");
    let more = line.len() < message.trim_end().len();
    let mut cut = line.len().min(4000);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    (&line[..cut], more)
}

/// Cuts `0..len` at the edges of find hits and error codes: each piece with
/// whether it is inside a hit and inside a code.
fn segments(
    len: usize,
    hits: &[Range<usize>],
    codes: &[Range<usize>],
) -> Vec<(Range<usize>, bool, bool)> {
    let mut cuts: Vec<usize> = vec![0, len];
    for r in hits.iter().chain(codes).filter(|r| !r.is_empty()) {
        cuts.push(r.start.min(len));
        cuts.push(r.end.min(len));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |ranges: &[Range<usize>], at: usize| ranges.iter().any(|r| r.contains(&at));
    cuts.windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| (w[0]..w[1], inside(hits, w[0]), inside(codes, w[0])))
        .collect()
}

const SCROLLBAR_WIDTH: f32 = 14.0;
const COLUMN_NAMES: [&str; 4] = ["Log Text", "Component", "Date/Time", "Thread"];
/// Width of the Source column of merged views.
const SOURCE_WIDTH: f32 = 150.0;

/// Draws the list for `tab` in the remaining space of `ui`.
pub fn show(
    ui: &mut Ui,
    tab: &mut LogTab,
    settings: &mut Settings,
    highlight: &Highlight,
    list_has_keys: bool,
) {
    let font = FontId::proportional(settings.font_size);
    let row_height = (ui.fonts_mut(|f| f.row_height(&font)) + 6.0).round();
    let details =
        settings.show_detail_columns && (tab.is_merged() || tab.doc().format() != LogFormat::Plain);
    let source_column = tab.is_merged();
    let full = ui.available_rect_before_wrap();
    ui.allocate_rect(full, Sense::hover());
    let header = Rect::from_min_size(full.min, vec2(full.width() - SCROLLBAR_WIDTH, row_height));
    let body = Rect::from_min_max(
        pos2(full.left(), header.bottom()),
        pos2(full.right() - SCROLLBAR_WIDTH, full.bottom()),
    );
    let bar = Rect::from_min_max(
        pos2(body.right(), body.top()),
        pos2(full.right(), full.bottom()),
    );
    let columns = column_rects(ui, header, body, settings, details, source_column);

    let visible_rows = ((body.height() / row_height).floor() as usize).max(1);
    let len = tab.view_len();
    let id = ui.scope_id().with("log-list");
    let body_response = ui.interact(body, id, Sense::click_and_drag());

    // Wheel.
    if ui.rect_contains_pointer(full) {
        let delta = ui.input(|i| i.smooth_scroll_delta.y);
        if delta != 0.0 {
            tab.view.scroll_remainder -= delta / row_height;
            let whole = tab.view.scroll_remainder.trunc();
            tab.view.scroll_remainder -= whole;
            scroll_by(tab, whole as isize, len, visible_rows);
        }
    }
    if list_has_keys {
        handle_keys(ui, tab, len, visible_rows);
    }
    // Clicks.
    if body_response.clicked() || body_response.secondary_clicked() {
        // Clicking the list takes the focus away from any text box.
        ui.memory_mut(|m| m.stop_text_input());
        if let Some(pos) = body_response.interact_pointer_pos() {
            let row = tab.view.top + ((pos.y - body.top()) / row_height) as usize;
            if row < len {
                let modifiers = ui.input(|i| i.modifiers);
                click_row(tab, row, modifiers);
            }
        }
    }
    // The list got shorter (the details pane grew): a cursor row that was
    // in view stays in view.
    if let Some(cursor) = tab.view.cursor
        && visible_rows < tab.view.shown_rows
        && (tab.view.top..tab.view.top + tab.view.shown_rows).contains(&cursor)
        && cursor >= tab.view.top + visible_rows
    {
        tab.view.top = cursor + 1 - visible_rows;
    }
    tab.view.shown_rows = visible_rows;
    let max_top = len.saturating_sub(visible_rows);
    if tab.view.follow_end {
        tab.view.top = max_top;
    }
    if tab.view.reveal_cursor {
        tab.view.reveal_cursor = false;
        let context = std::mem::take(&mut tab.view.reveal_with_context);
        if let Some(cursor) = tab.view.cursor {
            tab.view.top = revealed_top(tab.view.top, cursor, visible_rows, context);
        }
    }
    tab.view.top = tab.view.top.min(max_top);

    scrollbar(ui, tab, bar, len, visible_rows, id);
    paint_header(
        ui,
        header,
        &columns,
        details,
        source_column,
        &font,
        row_height,
    );

    // Rows.
    let rows = tab.rows(tab.view.top..tab.view.top + visible_rows + 1);
    let painter = ui.painter_at(body);
    let visuals = ui.visuals().clone();
    let find = tab.find.matcher.clone();
    if tab.aligned.is_some() {
        // Rows where only the other pane of a comparison has a record.
        for view_row in tab.view.top..(tab.view.top + visible_rows + 1).min(len) {
            if tab.entry_at(view_row).is_none() {
                let top = body.top() + (view_row - tab.view.top) as f32 * row_height;
                let rect =
                    Rect::from_min_size(pos2(body.left(), top), vec2(body.width(), row_height));
                paint_gap(&painter, rect, &visuals);
                if tab.view.selection.contains(view_row) {
                    painter.rect_stroke(
                        rect.shrink(0.5),
                        0.0,
                        Stroke::new(1.0, visuals.selection.bg_fill),
                        egui::StrokeKind::Inside,
                    );
                }
            }
        }
    }
    for (i, (source, row)) in rows.iter().enumerate() {
        // Rows can skip view rows (the gaps of a comparison).
        let view_row = tab
            .row_of((*source, row.record))
            .unwrap_or(tab.view.top + i);
        if view_row < tab.view.top {
            continue;
        }
        let top = body.top() + (view_row - tab.view.top) as f32 * row_height;
        let rect = Rect::from_min_size(pos2(body.left(), top), vec2(body.width(), row_height));
        let selected = tab.view.selection.contains(view_row);
        let severity = theme::severity_colors(row.severity(), &visuals);
        let mut colors = severity;
        if highlight.matches(row) {
            colors = theme::highlight_colors(settings.highlight_rgb, &visuals);
        }
        if selected {
            colors = theme::RowColors {
                background: visuals.selection.bg_fill,
                text: visuals.strong_text_color(),
            };
        } else if view_row % 2 == 1 && colors.background == Color32::TRANSPARENT {
            colors.background = visuals.faint_bg_color;
        }
        painter.rect_filled(rect, 0.0, colors.background);
        if selected && severity.background != Color32::TRANSPARENT {
            // Keep the severity visible on a selected row: a bar at its left edge.
            painter.rect_filled(
                Rect::from_min_size(rect.min, vec2(5.0, row_height)),
                0.0,
                severity.background,
            );
        }
        if tab.view.cursor == Some(view_row) {
            painter.rect_stroke(
                rect.shrink(0.5),
                0.0,
                Stroke::new(1.0, visuals.strong_text_color()),
                egui::StrokeKind::Inside,
            );
        }
        let (text, more) = first_line(&row.fields.message);
        let cells: [String; 4] = [
            String::new(),
            row.fields.component.clone(),
            tab.time_text(
                *source,
                row,
                settings.date_time_format,
                super::locale_date_style(),
            ),
            thread_text(&row.fields.thread),
        ];
        if source_column {
            let column = columns[0];
            let chip = Rect::from_min_size(
                pos2(column.left() + 4.0, rect.center().y - 5.0),
                vec2(10.0, 10.0),
            );
            painter.rect_filled(chip, 2.0, theme::source_color(*source, &visuals));
            let name = tab
                .sources
                .get(*source)
                .map(crate::gui::view::Source::name)
                .unwrap_or_default();
            let cell = Rect::from_min_max(
                pos2(chip.right() + 4.0, rect.top()),
                pos2(column.right() - 4.0, rect.bottom()),
            );
            let galley = painter.layout_no_wrap(name, font.clone(), colors.text);
            painter.with_clip_rect(cell.intersect(body)).galley(
                pos2(cell.left(), rect.center().y - galley.size().y / 2.0),
                galley,
                colors.text,
            );
        }
        let text_columns = if source_column {
            &columns[1..]
        } else {
            &columns[..]
        };
        for (c, column) in text_columns.iter().enumerate() {
            let cell = Rect::from_min_max(
                pos2(column.left() + 4.0, rect.top()),
                pos2(column.right() - 4.0, rect.bottom()),
            );
            let clip = painter.with_clip_rect(cell.intersect(body));
            let galley = if c == 0 {
                let mut job = LayoutJob::default();
                let format = TextFormat {
                    font_id: font.clone(),
                    color: colors.text,
                    ..TextFormat::default()
                };
                let hit = theme::find_hit_colors(&visuals);
                let hits = find
                    .as_ref()
                    .map(|m| m.find_ranges(text))
                    .unwrap_or_default();
                let codes: Vec<Range<usize>> = crate::errors::detect::find_codes(text)
                    .into_iter()
                    .map(|c| c.range)
                    .collect();
                for (range, is_hit, is_code) in segments(text.len(), &hits, &codes) {
                    let mut style = format.clone();
                    if is_hit {
                        style.background = hit.background;
                        style.color = hit.text;
                    }
                    if is_code {
                        style.underline = Stroke::new(1.0, style.color);
                    }
                    job.append(&text[range], 0.0, style);
                }
                if more {
                    job.append(
                        "  …",
                        0.0,
                        TextFormat {
                            color: visuals.weak_text_color(),
                            ..format.clone()
                        },
                    );
                }
                painter.layout_job(job)
            } else {
                painter.layout_no_wrap(cells[c].clone(), font.clone(), colors.text)
            };
            let y = rect.center().y - galley.size().y / 2.0;
            clip.galley(pos2(cell.left(), y), galley, colors.text);
        }
        // One accessible node per row, named by its text (screen readers, UI tests).
        let response = ui.interact(rect, id.with(("row", *source, row.record)), Sense::hover());
        let label = text.to_owned();
        response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
        // The Date/Time cell's tooltip: the time as the log wrote it.
        let on_time = text_columns.get(2).is_some_and(|column| {
            response
                .hover_pos()
                .is_some_and(|p| column.x_range().contains(p.x))
        });
        if on_time && let Some(written) = &row.fields.time_text {
            response.on_hover_text(format!("As written: {written}"));
        }
    }
    if len == 0 {
        let failed = tab.sources.iter().find_map(|s| {
            s.doc
                .problem()
                .map(|p| crate::gui::view::problem_text(&p, &s.path))
        });
        let message = if let Some(failed) = &failed {
            failed.as_str()
        } else if tab.busy().is_some() {
            "Reading…"
        } else if tab.filter.is_active() {
            "No records match the filter."
        } else {
            "This log has no records yet."
        };
        painter.text(
            body.center(),
            Align2::CENTER_CENTER,
            message,
            font,
            visuals.weak_text_color(),
        );
    }
}

/// A row with no record on this side of a comparison: hatched, so it reads
/// as "nothing here" in both themes.
fn paint_gap(painter: &egui::Painter, rect: Rect, visuals: &egui::Visuals) {
    painter.rect_filled(rect, 0.0, visuals.faint_bg_color);
    let stroke = Stroke::new(1.0, visuals.weak_text_color().gamma_multiply(0.35));
    let clip = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let step = 10.0;
    let mut x = rect.left() - rect.height();
    while x < rect.right() {
        clip.line_segment(
            [pos2(x, rect.bottom()), pos2(x + rect.height(), rect.top())],
            stroke,
        );
        x += step;
    }
}

fn column_rects(
    ui: &mut Ui,
    header: Rect,
    body: Rect,
    settings: &mut Settings,
    details: bool,
    source_column: bool,
) -> Vec<Rect> {
    let mut header = header;
    let mut source_rect = None;
    if source_column {
        source_rect = Some(Rect::from_min_max(
            header.min,
            pos2(header.left() + SOURCE_WIDTH, body.bottom()),
        ));
        header.min.x += SOURCE_WIDTH;
    }
    let mut rects = column_rects_after_source(ui, header, body, settings, details);
    if let Some(r) = source_rect {
        rects.insert(0, r);
    }
    rects
}

fn column_rects_after_source(
    ui: &mut Ui,
    header: Rect,
    body: Rect,
    settings: &mut Settings,
    details: bool,
) -> Vec<Rect> {
    let total = header.width();
    if !details {
        return vec![Rect::from_min_max(
            header.min,
            pos2(header.right(), body.bottom()),
        )];
    }
    let fixed: f32 = settings.column_widths.iter().sum();
    let text_width = (total - fixed).max(200.0);
    let mut widths = vec![text_width];
    widths.extend(settings.column_widths);
    let mut rects = Vec::with_capacity(4);
    let mut x = header.left();
    for (i, w) in widths.iter().enumerate() {
        let rect = Rect::from_min_max(pos2(x, header.top()), pos2(x + w, body.bottom()));
        rects.push(rect);
        x += w;
        // The handle at a column's left edge resizes that fixed column.
        if i >= 1 {
            let handle = Rect::from_center_size(
                pos2(rect.left(), header.center().y),
                vec2(8.0, header.height()),
            );
            let response = ui
                .interact(
                    handle,
                    ui.scope_id().with(("column-resize", i)),
                    Sense::drag(),
                )
                .on_hover_cursor(CursorIcon::ResizeHorizontal);
            if response.dragged() {
                let w = &mut settings.column_widths[i - 1];
                *w = (*w - response.drag_delta().x).clamp(40.0, 800.0);
            }
        }
    }
    rects
}

fn paint_header(
    ui: &Ui,
    header: Rect,
    columns: &[Rect],
    details: bool,
    source_column: bool,
    font: &FontId,
    row_height: f32,
) {
    let visuals = ui.visuals();
    let painter = ui.painter_at(header);
    painter.rect_filled(header, 0.0, visuals.widgets.noninteractive.bg_fill);
    let mut names: Vec<&str> = if details {
        COLUMN_NAMES.to_vec()
    } else {
        COLUMN_NAMES[..1].to_vec()
    };
    if source_column {
        names.insert(0, "Source");
    }
    for (name, column) in names.iter().zip(columns) {
        // One accessible node per column header.
        let cell = Rect::from_min_max(
            pos2(column.left(), header.top()),
            pos2(column.right(), header.bottom()),
        );
        let label = (*name).to_owned();
        ui.interact(
            cell,
            ui.scope_id().with(("column-header", *name)),
            egui::Sense::hover(),
        )
        .widget_info(move || egui::WidgetInfo::labeled(egui::Role::ColumnHeader, true, &label));
        painter.text(
            pos2(column.left() + 4.0, header.top() + row_height / 2.0),
            Align2::LEFT_CENTER,
            *name,
            font.clone(),
            visuals.strong_text_color(),
        );
        painter.line_segment(
            [
                pos2(column.left(), header.top()),
                pos2(column.left(), header.bottom()),
            ],
            visuals.widgets.noninteractive.bg_stroke,
        );
    }
    painter.line_segment(
        [header.left_bottom(), header.right_bottom()],
        visuals.widgets.noninteractive.bg_stroke,
    );
}

/// The first row shown once `cursor` is revealed: moved as little as keeps
/// it visible (arrow keys), or for a jump (`context`) a third of the way
/// down so the records after it show, unless it is in the upper two thirds
/// already.
fn revealed_top(top: usize, cursor: usize, visible_rows: usize, context: bool) -> usize {
    if context && visible_rows >= 3 {
        let comfortable = top..top + visible_rows * 2 / 3;
        if comfortable.contains(&cursor) {
            top
        } else {
            cursor.saturating_sub(visible_rows / 3)
        }
    } else if cursor < top {
        cursor
    } else if cursor >= top + visible_rows {
        cursor + 1 - visible_rows
    } else {
        top
    }
}

fn scrollbar(ui: &mut Ui, tab: &mut LogTab, bar: Rect, len: usize, visible_rows: usize, id: Id) {
    let visuals = ui.visuals().clone();
    let painter = ui.painter_at(bar);
    painter.rect_filled(bar, 0.0, visuals.extreme_bg_color);
    if len <= visible_rows {
        return;
    }
    let max_top = len - visible_rows;
    let thumb_h = (bar.height() * visible_rows as f32 / len as f32)
        .max(24.0)
        .min(bar.height());
    let travel = (bar.height() - thumb_h).max(1.0);
    let frac = tab.view.top as f64 / max_top as f64;
    let thumb = Rect::from_min_size(
        pos2(bar.left() + 2.0, bar.top() + (frac as f32) * travel),
        vec2(bar.width() - 4.0, thumb_h),
    );
    let response = ui.interact(bar, id.with("scrollbar"), Sense::click_and_drag());
    if let Some(pos) = response.interact_pointer_pos()
        && (response.dragged() || response.clicked())
    {
        let f = ((pos.y - bar.top() - thumb_h / 2.0) / travel).clamp(0.0, 1.0);
        tab.view.top = ((f64::from(f)) * max_top as f64).round() as usize;
        tab.view.follow_end = tab.view.top >= max_top;
    }
    let color = if response.dragged() || response.hovered() {
        visuals.widgets.hovered.bg_fill
    } else {
        visuals.widgets.inactive.bg_fill
    };
    painter.rect_filled(thumb, 3.0, color);
}

fn scroll_by(tab: &mut LogTab, lines: isize, len: usize, visible_rows: usize) {
    if lines == 0 {
        return;
    }
    let max_top = len.saturating_sub(visible_rows);
    tab.view.top = tab.view.top.saturating_add_signed(lines).min(max_top);
    tab.view.follow_end = lines > 0 && tab.view.top >= max_top;
}

fn click_row(tab: &mut LogTab, row: usize, modifiers: Modifiers) {
    if modifiers.shift {
        let anchor = tab.view.anchor.unwrap_or(row);
        tab.view.selection.set_range(anchor, row);
    } else if modifiers.command {
        tab.view.selection.toggle(row);
        tab.view.anchor = Some(row);
    } else {
        tab.view.selection.set(row);
        tab.view.anchor = Some(row);
    }
    tab.view.cursor = Some(row);
    tab.view.follow_end = false;
}

fn handle_keys(ui: &Ui, tab: &mut LogTab, len: usize, visible_rows: usize) {
    if len == 0 {
        return;
    }
    let (moves, shift) = ui.input_mut(|i| {
        let shift = i.modifiers.shift;
        let mut moves: Vec<isize> = Vec::new();
        let page = visible_rows.max(2) as isize - 1;
        for (key, step) in [
            (Key::ArrowDown, 1),
            (Key::ArrowUp, -1),
            (Key::PageDown, page),
            (Key::PageUp, -page),
        ] {
            while i.consume_key(Modifiers::NONE, key) || i.consume_key(Modifiers::SHIFT, key) {
                moves.push(step);
            }
        }
        if i.consume_key(Modifiers::NONE, Key::Home)
            || i.consume_key(Modifiers::COMMAND, Key::Home)
            || i.consume_key(Modifiers::SHIFT, Key::Home)
        {
            moves.push(isize::MIN);
        }
        if i.consume_key(Modifiers::NONE, Key::End)
            || i.consume_key(Modifiers::COMMAND, Key::End)
            || i.consume_key(Modifiers::SHIFT, Key::End)
        {
            moves.push(isize::MAX);
        }
        (moves, shift)
    });
    for step in moves {
        let from = tab.view.cursor.unwrap_or(tab.view.top);
        let to = match step {
            isize::MIN => 0,
            isize::MAX => len - 1,
            s => from.saturating_add_signed(s).min(len - 1),
        };
        if shift {
            let anchor = *tab.view.anchor.get_or_insert(from);
            tab.view.selection.set_range(anchor, to);
            tab.view.cursor = Some(to);
            tab.view.reveal_cursor = true;
        } else {
            tab.select_row(to);
        }
        // End keeps following new lines, like tail -f.
        tab.view.follow_end = step == isize::MAX;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jumps_show_what_follows_and_arrows_move_as_little_as_they_can() {
        // 30 rows on screen, showing 100..130.
        // An arrow key to row 130: one row further, the cursor at the bottom.
        assert_eq!(revealed_top(100, 130, 30, false), 101);
        assert_eq!(revealed_top(100, 99, 30, false), 99);
        assert_eq!(revealed_top(100, 120, 30, false), 100);
        // A jump to 500: a third of the way down, 20 rows after it in view.
        assert_eq!(revealed_top(100, 500, 30, true), 490);
        // A jump to the last visible row is never left there.
        assert_eq!(revealed_top(100, 129, 30, true), 119);
        // A jump to a row in the upper two thirds does not scroll.
        assert_eq!(revealed_top(100, 110, 30, true), 100);
        // Near the start, as far up as there is.
        assert_eq!(revealed_top(100, 4, 30, true), 0);
    }

    #[test]
    fn first_lines_and_segments() {
        assert_eq!(first_line("a\r\nb"), ("a", true));
        assert_eq!(first_line("a\r\n"), ("a", false));
        assert_eq!(
            segments(10, &[2..5, 9..9], &[4..8, 10..10]),
            vec![
                (0..2, false, false),
                (2..4, true, false),
                (4..5, true, true),
                (5..8, false, true),
                (8..10, false, false)
            ]
        );
        assert_eq!(segments(3, &[], &[]), vec![(0..3, false, false)]);
    }
}
