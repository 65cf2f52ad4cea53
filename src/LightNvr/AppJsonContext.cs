using System.Text.Json.Serialization;
using LightNvr.Status;

namespace LightNvr;

/// <summary>Every type the appliance serves or reads as JSON: source-generated, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusReport))]
internal partial class AppJsonContext : JsonSerializerContext;
