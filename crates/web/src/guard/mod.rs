//! What stands before every handler: the security headers and refusals
//! of requests for another host name or from another site ([`headers`],
//! [`origin`]), and the editor's own static files ([`assets`]).

pub(crate) mod assets;
pub(crate) mod headers;
pub(crate) mod origin;
