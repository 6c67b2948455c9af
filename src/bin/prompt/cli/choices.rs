//! The library's enums as command-line choices. The library knows nothing of clap, so the
//! possible values (and their help lines) are declared here, next to the flags that take them.

use clap::builder::PossibleValue;
use clap::ValueEnum;
use prompt_registry::interchange::Service;
use prompt_registry::render::RenderFormat;

/// `render --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg(pub RenderFormat);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [FormatArg; 7] = {
            let f = RenderFormat::ALL;
            [
                FormatArg(f[0]),
                FormatArg(f[1]),
                FormatArg(f[2]),
                FormatArg(f[3]),
                FormatArg(f[4]),
                FormatArg(f[5]),
                FormatArg(f[6]),
            ]
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()))
    }
}

/// `export --to` and `import --from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceArg(pub Service);

const SERVICES: [ServiceArg; 7] = {
    let all = Service::ALL;
    [
        ServiceArg(all[0]),
        ServiceArg(all[1]),
        ServiceArg(all[2]),
        ServiceArg(all[3]),
        ServiceArg(all[4]),
        ServiceArg(all[5]),
        ServiceArg(all[6]),
    ]
};

impl ValueEnum for ServiceArg {
    fn value_variants<'a>() -> &'a [Self] {
        &SERVICES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self.0 {
            Service::Phoenix => "Arize Phoenix prompts",
            Service::Langwatch => "LangWatch prompts",
            Service::Freeplay => "Freeplay prompt templates",
            Service::Bifrost => "The Bifrost gateway's prompt repository",
            Service::Langfuse => "Langfuse prompts (POST /api/public/v2/prompts)",
            Service::Dotprompt => {
                "Google dotprompt files (`.prompt`: YAML front matter and Handlebars)"
            }
            Service::Prompty => {
                "Microsoft Prompty files (`.prompty`: YAML front matter and a role-marked body)"
            }
        };
        Some(PossibleValue::new(self.0.name()).help(help))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_is_a_choice_once_by_its_name() {
        let names: Vec<_> = ServiceArg::value_variants()
            .iter()
            .map(|s| s.to_possible_value().unwrap().get_name().to_string())
            .collect();
        let expected: Vec<_> = Service::ALL.iter().map(|s| s.name().to_string()).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn every_format_parses_from_its_name() {
        for f in FormatArg::value_variants() {
            let name = f.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(FormatArg::from_str(&name, false), Ok(*f));
        }
        assert_eq!(FormatArg::value_variants().len(), 7);
    }
}
