// DirectiveHandler: the signature of a directive parser. It reads the rest of the line (the
// directive word is already taken), reports problems on the line and records results in the
// builder; it never throws on input.
namespace Stratum.Core.Config;

/// <summary>Parses one directive line into the configuration being built.</summary>
internal delegate void DirectiveHandler(DirectiveLine line, ConfigBuilder config);
