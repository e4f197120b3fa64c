//! The countries the marketplace ships to, and each one's address rules: whether a state or
//! province is needed and which ones exist, the form of its postal code, and the order its
//! post office reads an address in.
//!
//! Written out here rather than taken from a crate: the country-list crates give names and
//! codes, not postal-code forms, subdivisions a courier accepts, or the line order, and this
//! list is short and ours (the countries our tax table and shipping cover).

mod regions;
use regions::{AU_STATES, CA_PROVINCES, US_STATES};

/// How a country's post office writes the last lines of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// "Los Angeles, CA 90001" (United States, Canada, Australia).
    CityRegionPostal,
    /// "10115 Berlin" (most of continental Europe).
    PostalCity,
    /// "LONDON" then "SW1A 1AA" on its own line (United Kingdom, Ireland).
    CityThenPostal,
}

/// How a country's postal codes look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Postal {
    /// `n` digits ("10115").
    Digits(usize),
    /// US ZIP: five digits, optionally "-" and four more.
    Zip,
    /// Canada: "A1A 1A1".
    Canadian,
    /// United Kingdom: outward and inward code ("SW1A 1AA").
    British,
    /// Netherlands: four digits and two letters ("1011 AB").
    Dutch,
    /// Ireland: Eircode ("D02 X285").
    Eircode,
}

/// A country we ship to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
    layout: Layout,
    postal: Postal,
    /// The states or provinces an address must name, when the country's post needs one.
    regions: &'static [(&'static str, &'static str)],
}

const fn country(
    code: &'static str,
    name: &'static str,
    layout: Layout,
    postal: Postal,
    regions: &'static [(&'static str, &'static str)],
) -> Country {
    Country {
        code,
        name,
        layout,
        postal,
        regions,
    }
}

/// Every country we ship to, by name.
pub const COUNTRIES: &[Country] = &[
    country(
        "AU",
        "Australia",
        Layout::CityRegionPostal,
        Postal::Digits(4),
        AU_STATES,
    ),
    country("AT", "Austria", Layout::PostalCity, Postal::Digits(4), &[]),
    country("BE", "Belgium", Layout::PostalCity, Postal::Digits(4), &[]),
    country(
        "CA",
        "Canada",
        Layout::CityRegionPostal,
        Postal::Canadian,
        CA_PROVINCES,
    ),
    country("DK", "Denmark", Layout::PostalCity, Postal::Digits(4), &[]),
    country("FI", "Finland", Layout::PostalCity, Postal::Digits(5), &[]),
    country("FR", "France", Layout::PostalCity, Postal::Digits(5), &[]),
    country("DE", "Germany", Layout::PostalCity, Postal::Digits(5), &[]),
    country("IE", "Ireland", Layout::CityThenPostal, Postal::Eircode, &[]),
    country("IT", "Italy", Layout::PostalCity, Postal::Digits(5), &[]),
    country("NL", "Netherlands", Layout::PostalCity, Postal::Dutch, &[]),
    country("NO", "Norway", Layout::PostalCity, Postal::Digits(4), &[]),
    country("PT", "Portugal", Layout::PostalCity, Postal::Digits(7), &[]),
    country("ES", "Spain", Layout::PostalCity, Postal::Digits(5), &[]),
    country("SE", "Sweden", Layout::PostalCity, Postal::Digits(5), &[]),
    country("CH", "Switzerland", Layout::PostalCity, Postal::Digits(4), &[]),
    country(
        "GB",
        "United Kingdom",
        Layout::CityThenPostal,
        Postal::British,
        &[],
    ),
    country(
        "US",
        "United States",
        Layout::CityRegionPostal,
        Postal::Zip,
        US_STATES,
    ),
];

/// The country with ISO code `code` ("us" or "US"), if we ship there.
pub fn by_code(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// Every state and province of the countries that need one (for the form's suggestions).
pub fn all_regions() -> impl Iterator<Item = (&'static Country, &'static str, &'static str)> {
    COUNTRIES
        .iter()
        .flat_map(|c| c.regions.iter().map(move |(code, name)| (c, *code, *name)))
}

impl Country {
    /// Whether an address here must name a state or province.
    pub fn needs_region(&self) -> bool {
        !self.regions.is_empty()
    }

    /// What the country calls its postal code.
    pub fn postal_label(&self) -> &'static str {
        match self.postal {
            Postal::Zip => "ZIP code",
            Postal::British => "Postcode",
            Postal::Eircode => "Eircode",
            _ => "Postal code",
        }
    }

    fn postal_example(&self) -> &'static str {
        match self.postal {
            Postal::Zip => "90001 or 90001-1234",
            Postal::Canadian => "K1A 0B1",
            Postal::British => "SW1A 1AA",
            Postal::Dutch => "1011 AB",
            Postal::Eircode => "D02 X285",
            Postal::Digits(4) => "1010",
            Postal::Digits(7) => "1100-148",
            Postal::Digits(_) => "10115",
        }
    }

    /// The state or province `raw` names (by code or by name, any case), as its code.
    pub fn region(&self, raw: &str) -> Result<String, String> {
        let raw = raw.trim();
        if !self.needs_region() {
            return Ok(raw.to_string());
        }
        self.regions
            .iter()
            .find(|(code, name)| code.eq_ignore_ascii_case(raw) || name.eq_ignore_ascii_case(raw))
            .map(|(code, _)| code.to_string())
            .ok_or_else(|| {
                let what = if self.code == "CA" {
                    "province or territory"
                } else {
                    "state"
                };
                if raw.is_empty() {
                    format!("Choose the {what} ({} needs one).", self.name)
                } else {
                    format!(
                        "“{}” is not a {what} of {}.",
                        raw.chars().take(40).collect::<String>(),
                        self.name
                    )
                }
            })
    }

    /// `raw` as this country writes its postal codes, or why it isn't one.
    pub fn postal_code(&self, raw: &str) -> Result<String, String> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let letters = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase());
        let formed = match self.postal {
            Postal::Zip => match compact.len() {
                5 if digits(&compact) => Some(compact.clone()),
                9 if digits(&compact) => Some(format!("{}-{}", &compact[..5], &compact[5..])),
                _ => None,
            },
            Postal::Digits(7) if compact.len() == 7 && digits(&compact) => {
                Some(format!("{}-{}", &compact[..4], &compact[4..]))
            }
            Postal::Digits(n) => (compact.len() == n && digits(&compact)).then(|| compact.clone()),
            Postal::Canadian => {
                let b = compact.as_bytes();
                let ok = b.len() == 6
                    && (0..6).all(|i| {
                        if i % 2 == 0 {
                            b[i].is_ascii_uppercase()
                        } else {
                            b[i].is_ascii_digit()
                        }
                    });
                ok.then(|| format!("{} {}", &compact[..3], &compact[3..]))
            }
            Postal::Dutch => (compact.len() == 6 && digits(&compact[..4]) && letters(&compact[4..]))
                .then(|| format!("{} {}", &compact[..4], &compact[4..])),
            Postal::Eircode => (compact.len() == 7
                && compact.is_ascii()
                && compact.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| format!("{} {}", &compact[..3], &compact[3..])),
            Postal::British => british(&compact),
        };
        formed.ok_or_else(|| {
            format!(
                "Enter a {} like {} for {}.",
                self.postal_label().to_lowercase().replace("zip", "ZIP"),
                self.postal_example(),
                self.name
            )
        })
    }

    /// The lines of an address as this country's post reads them, the country last.
    pub fn lines(
        &self,
        name: &str,
        line1: &str,
        line2: &str,
        city: &str,
        region: &str,
        postal: &str,
    ) -> Vec<String> {
        let mut lines: Vec<String> = [name, line1, line2]
            .into_iter()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        let join = |parts: &[&str], sep: &str| {
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(sep)
        };
        match self.layout {
            Layout::CityRegionPostal => {
                let region_postal = join(&[region, postal], " ");
                lines.push(join(&[city, &region_postal], ", "));
            }
            Layout::PostalCity => {
                lines.push(join(&[postal, city], " "));
                if !region.is_empty() {
                    lines.push(region.to_string());
                }
            }
            Layout::CityThenPostal => {
                lines.extend(
                    [city, region, postal]
                        .into_iter()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                );
            }
        }
        lines.push(self.name.to_string());
        lines.retain(|l| !l.is_empty());
        lines
    }
}

/// A UK postcode ("SW1A1AA" → "SW1A 1AA"): an outward code of 2–4 characters starting with a
/// letter, and an inward code of a digit and two letters.
fn british(compact: &str) -> Option<String> {
    if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok =
        inward.as_bytes()[0].is_ascii_digit() && inward[1..].bytes().all(|b| b.is_ascii_uppercase());
    let outward_ok = outward.as_bytes()[0].is_ascii_uppercase()
        && outward.bytes().all(|b| b.is_ascii_alphanumeric())
        && outward.bytes().any(|b| b.is_ascii_digit());
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(code: &str) -> &'static Country {
        by_code(code).unwrap()
    }

    #[test]
    fn postal_codes_take_each_countrys_form_and_are_written_its_way() {
        assert_eq!(of("us").postal_code(" 90001 ").unwrap(), "90001");
        assert_eq!(of("US").postal_code("900011234").unwrap(), "90001-1234");
        assert_eq!(of("GB").postal_code("sw1a1aa").unwrap(), "SW1A 1AA");
        assert_eq!(of("GB").postal_code("M1 1AE").unwrap(), "M1 1AE");
        assert_eq!(of("CA").postal_code("k1a0b1").unwrap(), "K1A 0B1");
        assert_eq!(of("NL").postal_code("1011ab").unwrap(), "1011 AB");
        assert_eq!(of("DE").postal_code("10115").unwrap(), "10115");
        assert_eq!(of("PT").postal_code("1100148").unwrap(), "1100-148");
        for (country, bad) in [
            ("US", "1000"),
            ("US", "ABCDE"),
            ("GB", "12345"),
            ("DE", "1011 AB"),
            ("CA", "123456"),
            ("NL", "AB 1011"),
        ] {
            let message = of(country).postal_code(bad).unwrap_err();
            assert!(message.contains(" like "), "{country} {bad}: {message}");
        }
        assert_eq!(
            of("US").postal_code("1000").unwrap_err(),
            "Enter a ZIP code like 90001 or 90001-1234 for United States."
        );
    }

    #[test]
    fn states_are_needed_where_the_post_needs_them_and_read_by_code_or_name() {
        assert_eq!(of("US").region("california").unwrap(), "CA");
        assert_eq!(of("US").region(" ny ").unwrap(), "NY");
        assert_eq!(of("CA").region("Quebec").unwrap(), "QC");
        assert!(of("US").region("").unwrap_err().contains("Choose the state"));
        assert!(
            of("US")
                .region("Narnia")
                .unwrap_err()
                .contains("not a state of United States")
        );
        assert_eq!(of("GB").region(" Kent ").unwrap(), "Kent");
        assert_eq!(of("DE").region("").unwrap(), "");
        assert!(by_code("XX").is_none());
    }

    #[test]
    fn addresses_read_in_each_countrys_order() {
        assert_eq!(
            of("US").lines("Ada", "1 Main St", "", "Los Angeles", "CA", "90001"),
            ["Ada", "1 Main St", "Los Angeles, CA 90001", "United States"]
        );
        assert_eq!(
            of("DE").lines("Ada", "Unter den Linden 1", "", "Berlin", "", "10117"),
            ["Ada", "Unter den Linden 1", "10117 Berlin", "Germany"]
        );
        assert_eq!(
            of("GB").lines("Ada", "10 Downing St", "", "London", "", "SW1A 2AA"),
            ["Ada", "10 Downing St", "London", "SW1A 2AA", "United Kingdom"]
        );
    }

    #[test]
    fn the_list_is_in_name_order_with_one_entry_per_code() {
        let names: Vec<_> = COUNTRIES.iter().map(|c| c.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let mut codes: Vec<_> = COUNTRIES.iter().map(|c| c.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), COUNTRIES.len());
    }
}
