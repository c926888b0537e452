//! Criteria narratives are Markdown (OB 3.0 says so); this is the one renderer, used by the
//! wizard's preview and the public pages alike, so what an editor previews is what earners
//! see.
//!
//! Safety by construction: `pulldown-cmark` (CommonMark, well kept, no unsafe HTML
//! pass-through of its own) parses; raw HTML in the source is shown as text, never
//! interpreted; links keep only `http`, `https` and `mailto` targets; images become links
//! (an image from elsewhere would tell a third party who reads the page).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Longest input rendered; the achievement form refuses longer narratives anyway.
const MAX_INPUT_CHARS: usize = 50_000;

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// Renders Markdown to HTML that is safe to insert into a page.
pub fn render(markdown: &str) -> String {
    let text: String = markdown.chars().take(MAX_INPUT_CHARS).collect();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut in_image = false;
    let events = Parser::new_ext(&text, options).map(|event| match event {
        // Raw HTML is shown as the text the author typed.
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            in_image = true;
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::Borrowed("#")
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::End(TagEnd::Image) if in_image => {
            in_image = false;
            Event::End(TagEnd::Link)
        }
        other => other,
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn raw_html_and_scripts_are_text() {
        let out = render("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn only_safe_links_survive() {
        let out = render("[a](javascript:alert(1)) [b](https://example.org) [c](data:text/html,x)");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(out.contains(r#"href="https://example.org""#), "{out}");
    }

    #[test]
    fn images_become_links() {
        let out = render("![logo](https://tracker.example/pixel.png)");
        assert!(!out.contains("<img"), "{out}");
        assert!(
            out.contains(r#"<a href="https://tracker.example/pixel.png">logo</a>"#),
            "{out}"
        );
    }

    #[test]
    fn markdown_renders() {
        let out = render("# Criteria\n\n- **Attend** all sessions\n- Pass the quiz");
        assert!(
            out.contains("<h1>Criteria</h1>") && out.contains("<strong>Attend</strong>"),
            "{out}"
        );
    }
}
