//! The interface every template language implements: parse with positions, list the variables
//! and the other prompts a template names (each with its position in the template text, which
//! `check` maps into the YAML file), prepare those once, render many times. [`super::Template`]
//! holds one parsed template of any language and dispatches through this trait.

use serde_json::Value;

use super::{fstring, jinja, mustache};
use super::{ParseError, PartialResolver, PartialUse, RenderError, RenderOptions, VarUse};

/// One template language.
pub trait Engine: Sized {
    /// What a template reads from other prompts, read and parsed once for many renders.
    type Prepared: Default;

    /// Parses template text; an error carries the position of the first problem.
    fn parse(src: &str) -> Result<Self, ParseError>;

    /// The variables the template reads from its context, in source order, with positions.
    fn variables(&self) -> Vec<VarUse>;

    /// The other prompts the template names (partials, parents, includes), with positions.
    fn includes(&self) -> Vec<PartialUse>;

    /// Reads and parses what [`Engine::includes`] names, and what that names in turn.
    fn prepare(&self, resolver: &dyn PartialResolver) -> Self::Prepared;

    /// Renders against `ctx` with prepared includes; `resolver`, when given, is asked for names
    /// only known while rendering (mustache dynamic names).
    fn render_with(
        &self,
        ctx: &Value,
        prepared: &Self::Prepared,
        resolver: Option<&dyn PartialResolver>,
        opts: &RenderOptions,
    ) -> Result<String, RenderError>;
}

impl Engine for mustache::Template {
    type Prepared = mustache::Partials;

    fn parse(src: &str) -> Result<Self, ParseError> {
        mustache::Template::parse(src)
    }

    fn variables(&self) -> Vec<VarUse> {
        mustache::Template::variables(self)
    }

    fn includes(&self) -> Vec<PartialUse> {
        self.partials()
    }

    fn prepare(&self, resolver: &dyn PartialResolver) -> Self::Prepared {
        mustache::Partials::load(self, resolver)
    }

    fn render_with(
        &self,
        ctx: &Value,
        prepared: &Self::Prepared,
        resolver: Option<&dyn PartialResolver>,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared_with(ctx, prepared, resolver, opts)
    }
}

impl Engine for fstring::Template {
    type Prepared = ();

    fn parse(src: &str) -> Result<Self, ParseError> {
        fstring::Template::parse(src)
    }

    fn variables(&self) -> Vec<VarUse> {
        fstring::Template::variables(self)
    }

    fn includes(&self) -> Vec<PartialUse> {
        Vec::new()
    }

    fn prepare(&self, _: &dyn PartialResolver) -> Self::Prepared {}

    fn render_with(
        &self,
        ctx: &Value,
        _: &Self::Prepared,
        _: Option<&dyn PartialResolver>,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render(ctx, opts)
    }
}

impl Engine for jinja::Template {
    type Prepared = jinja::Includes;

    fn parse(src: &str) -> Result<Self, ParseError> {
        jinja::Template::parse(src)
    }

    fn variables(&self) -> Vec<VarUse> {
        jinja::Template::variables(self)
    }

    fn includes(&self) -> Vec<PartialUse> {
        jinja::Template::includes(self)
    }

    fn prepare(&self, resolver: &dyn PartialResolver) -> Self::Prepared {
        jinja::Includes::load(self, resolver)
    }

    fn render_with(
        &self,
        ctx: &Value,
        prepared: &Self::Prepared,
        _: Option<&dyn PartialResolver>,
        opts: &RenderOptions,
    ) -> Result<String, RenderError> {
        self.render_prepared(ctx, prepared, opts)
    }
}
