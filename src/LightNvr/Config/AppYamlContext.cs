using YamlDotNet.Serialization;

namespace LightNvr.Config;

/// <summary>
/// The one YamlDotNet static context of the assembly, for every file format the appliance reads and
/// writes (lightnvr.yaml, streams.yaml): the static generator emits a single type factory per
/// assembly, so a second context would silently know none of its types (NotImplementedException).
/// </summary>
[YamlStaticContext]
public partial class AppYamlContext : StaticContext;
