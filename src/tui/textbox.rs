//! The text boxes every screen types into: long lines wrap at words, and
//! the cursor starts where the text ends.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// A box holding `text`, showing `placeholder` while it is empty.
pub fn text_box(placeholder: &str, text: &str) -> TextArea<'static> {
    let mut t = if text.is_empty() {
        TextArea::default()
    } else {
        TextArea::new(text.lines().map(str::to_string).collect())
    };
    t.set_placeholder_text(placeholder);
    // Long lines wrap at words in the box, rather than scroll out of view.
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    // Carry on where the text ends, not in front of it.
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

/// What a box holds, without the blank lines and spaces after it.
pub fn text_of(t: &TextArea<'_>) -> String {
    t.lines().join("\n").trim_end().to_string()
}
