//! Auto-trait tables: which public types are `Send` and `Sync`, stated and checked.
//!
//! [`implements!`](crate::implements) answers "does this type implement this trait?" as a
//! `bool` at compile time, so a wrong `unsafe impl Sync` fails a check with a message instead
//! of stopping the suite from compiling, and negative rows ("a guard is not `Send`") are
//! checked as well as positive ones. [`check_table`] compares a whole table at once.
//!
//! ```
//! use std::rc::Rc;
//!
//! testkit::traits::check_table(&[
//!     ("u64", "Send", true, testkit::implements!(u64: Send)),
//!     ("Rc<u8>", "Send", false, testkit::implements!(Rc<u8>: Send)),
//!     ("Rc<u8>", "Sync", false, testkit::implements!(Rc<u8>: Sync)),
//! ]);
//! ```

/// Whether `$t` implements `$trait`, as a `bool` known at compile time.
///
/// `(&Probe::<T>).answer()` first looks for a method taking `&Probe<T>`: `Yes::answer`, which
/// exists only when `T: $trait`. Failing that, auto-ref finds `No::answer`, which takes
/// `&&Probe<T>` and exists for every `T`.
#[macro_export]
macro_rules! implements {
    ($t:ty: $trait:path) => {{
        struct Probe<T: ?Sized>(::std::marker::PhantomData<T>);
        #[allow(dead_code)] // one of the two traits goes unused, depending on the answer
        trait Yes {
            fn answer(&self) -> bool {
                true
            }
        }
        impl<T: ?Sized + $trait> Yes for Probe<T> {}
        #[allow(dead_code)]
        trait No {
            fn answer(&self) -> bool {
                false
            }
        }
        impl<T: ?Sized> No for &Probe<T> {}
        (&Probe::<$t>(::std::marker::PhantomData)).answer()
    }};
}

/// Checks a table of `(type, trait, documented, actual)` rows and fails once, listing every
/// row whose actual answer differs from the documented one.
pub fn check_table(rows: &[(&str, &str, bool, bool)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(_, _, documented, actual)| documented != actual)
        .map(|(ty, tr, documented, _)| {
            let is = if *documented {
                "must be"
            } else {
                "must not be"
            };
            format!("{ty} {is} {tr}")
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "the README's Send/Sync table does not hold: {}",
        wrong.join("; ")
    );
}
