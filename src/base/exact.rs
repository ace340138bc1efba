//! Sequences read into exactly the room they need. serde's `Vec` grows as
//! it reads (to 4, 8, 16 elements), and a cohort's sheets were then shrunk
//! one by one: three or four allocations and copies for each of a million
//! lists. Read first into room on the stack, each list takes one.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use smallvec::SmallVec;

/// A sequence read as a `Vec` whose capacity is its length. Up to `N`
/// elements are gathered on the stack first; a longer list (rare) is
/// shrunk once read.
pub fn vec<'de, D, T, const N: usize>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Exact<T, const N: usize>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for Exact<T, N> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut read: SmallVec<[T; N]> = SmallVec::new();
            while let Some(element) = seq.next_element()? {
                read.push(element);
            }
            let mut exact = read.into_vec();
            exact.shrink_to_fit();
            Ok(exact)
        }
    }

    d.deserialize_seq(Exact::<T, N>(PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Lists {
        #[serde(deserialize_with = "super::vec::<_, _, 4>")]
        short: Vec<u32>,
        #[serde(deserialize_with = "super::vec::<_, _, 4>")]
        long: Vec<u32>,
    }

    #[test]
    fn a_list_is_read_whole_into_exactly_its_room() {
        let lists: Lists =
            serde_json::from_str(r#"{"short":[1,2,3],"long":[1,2,3,4,5,6,7]}"#).expect("lists");
        assert_eq!(lists.short, [1, 2, 3]);
        assert_eq!(lists.short.capacity(), 3);
        assert_eq!(lists.long, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(lists.long.capacity(), 7);
        assert!(serde_json::from_str::<Lists>(r#"{"short":{},"long":[]}"#).is_err());
    }
}
