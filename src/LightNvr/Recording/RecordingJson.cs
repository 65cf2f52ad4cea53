using System.Text.Json.Serialization;

namespace LightNvr.Recording;

/// <summary>The index lines and what the recordings API serves, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IndexEntry))]
[JsonSerializable(typeof(RecordingsView))]
[JsonSerializable(typeof(DayView))]
internal partial class RecordingJson : JsonSerializerContext;
