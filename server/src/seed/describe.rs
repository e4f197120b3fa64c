//! What a generated product comes in (its options) and says about itself (its description).

use super::data::{Leaf, Options};
use super::rows::VendorRow;
use rand::{Rng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;

/// Option names and every combination of the values this product comes in.
pub fn options(rng: &mut ChaCha8Rng, options: Options) -> (Vec<&'static str>, Vec<Vec<&'static str>>) {
    let some = |rng: &mut ChaCha8Rng, values: &'static [&'static str], max: usize| -> Vec<&'static str> {
        let n = rng.random_range(1..=max.min(values.len()));
        let mut picked: Vec<&'static str> = values.choose_multiple(rng, n).copied().collect();
        picked.sort_by_key(|v| values.iter().position(|x| x == v));
        picked
    };
    match options {
        Options::SizeColour(sizes, colours) => {
            let colours = some(rng, colours, 3);
            let combos = sizes
                .iter()
                .flat_map(|s| colours.iter().map(move |c| vec![*s, *c]))
                .collect();
            (vec!["Size", "Color"], combos)
        }
        Options::Colour(colours) => (
            vec!["Color"],
            some(rng, colours, 4).into_iter().map(|c| vec![c]).collect(),
        ),
        Options::Size(sizes) => (vec!["Size"], sizes.iter().map(|s| vec![*s]).collect()),
        Options::Named(name, values) => (
            vec![name],
            some(rng, values, values.len())
                .into_iter()
                .map(|v| vec![v])
                .collect(),
        ),
        Options::None => (Vec::new(), vec![Vec::new()]),
    }
}

pub fn description(rng: &mut ChaCha8Rng, leaf: &Leaf, title: &str, vendor: &VendorRow) -> String {
    let mut facts: Vec<&str> = leaf.facts.to_vec();
    let first = facts.remove(rng.random_range(0..facts.len()));
    let second = facts.choose(rng).copied().unwrap_or("");
    let mut text = format!("{title} from {}. {first} {second}", vendor.seed.name);
    text.push_str(&format!(
        "\n\nPart of our {} range. Ships from {} within two working days.",
        leaf.name.to_lowercase(),
        vendor.seed.country
    ));
    text
}
