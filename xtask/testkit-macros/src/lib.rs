//! `#[testkit::check]`: wraps a suite test's body so that, under the grader, the test
//! process can prove that the body returned normally.
//!
//! The grader hands every test process a fresh secret on an inherited pipe. The wrapper
//! takes it before any code under test runs, runs the body, and writes the proof only after
//! the body returned: printing libtest's summary, exiting with status 0, a panic hook or a
//! signal can never produce it. See `testkit::proof`.
//!
//! Place it above `#[test]` or `#[rstest]` (inside `proptest!` too):
//!
//! ```ignore
//! #[testkit::check]
//! #[test]
//! fn returned_objects_are_reset() { /* … */ }
//! ```
//!
//! Written without `syn`: the only change is to the function's body block, the last brace
//! group of the item, so the signature (rstest's `#[case]` parameters included) and the other
//! attributes pass through untouched.

use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// Wraps the body of a suite test so the grader can tell it returned. See the crate docs.
#[proc_macro_attribute]
pub fn check(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        return error("`#[testkit::check]` takes no arguments");
    }
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    if mentions(&tokens, "should_panic") {
        // A body that must panic never returns, so it could never be proven: such a check
        // asserts the panic itself (`std::panic::catch_unwind(..).is_err()`).
        return error(
            "`#[testkit::check]` cannot prove a `#[should_panic]` test: assert the panic with \
             `std::panic::catch_unwind` instead",
        );
    }
    if !mentions(&tokens, "fn") {
        return error("`#[testkit::check]` goes on a test function");
    }
    let Some(body_at) = tokens
        .iter()
        .rposition(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))
    else {
        return error("`#[testkit::check]` needs a function with a body");
    };
    let TokenTree::Group(body) = &tokens[body_at] else {
        unreachable!("rposition matched a group");
    };
    // The body keeps its own tokens and spans, so panic locations and compile errors still
    // point at the suite's lines.
    let mut closure: TokenStream = "||".parse().expect("valid Rust");
    closure.extend([TokenTree::Group(body.clone())]);
    let mut wrapped: TokenStream = "let __katas_proof = ::testkit::proof::Proof::take();
        #[allow(clippy::redundant_closure_call)]
        let __katas_returned = "
        .parse()
        .expect("valid Rust");
    wrapped.extend([
        TokenTree::Group(Group::new(Delimiter::Parenthesis, closure)),
        TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())),
    ]);
    wrapped.extend(
        "; __katas_proof.returned(__katas_returned);"
            .parse::<TokenStream>()
            .expect("valid Rust"),
    );
    let mut group = Group::new(Delimiter::Brace, wrapped);
    group.set_span(body.span());
    tokens[body_at] = TokenTree::Group(group);
    tokens.into_iter().collect()
}

/// Whether `word` appears as an identifier at the top level of the item (attributes
/// included, since `#[should_panic]`'s group holds the word).
fn mentions(tokens: &[TokenTree], word: &str) -> bool {
    tokens.iter().any(|t| match t {
        TokenTree::Ident(i) => i.to_string() == word,
        TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => g
            .stream()
            .into_iter()
            .any(|t| matches!(&t, TokenTree::Ident(i) if i.to_string() == word)),
        _ => false,
    })
}

/// `compile_error!("…")` at the attribute.
fn error(message: &str) -> TokenStream {
    let span = Span::call_site();
    let mut lit = proc_macro::Literal::string(message);
    lit.set_span(span);
    [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(Punct::new('!', Spacing::Alone)),
        TokenTree::Group(Group::new(
            Delimiter::Parenthesis,
            TokenTree::Literal(lit).into(),
        )),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ]
    .into_iter()
    .collect()
}
