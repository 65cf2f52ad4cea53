using System.Text.Json.Serialization;

namespace LightNvr.Health;

/// <summary>The health snapshot as <c>/api/health</c> serves it, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthSnapshot))]
internal partial class HealthJson : JsonSerializerContext;
