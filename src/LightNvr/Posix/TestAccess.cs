// The csproj's <InternalsVisibleTo> PROPERTY is not read by the SDK (only the item form is), so the
// tests could not see internals. Repeating the attribute is harmless (AllowMultiple) if the item is added later.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("LightNvr.Tests")]
