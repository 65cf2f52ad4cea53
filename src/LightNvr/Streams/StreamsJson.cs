using LightNvr.Config;
using System.Text.Json.Serialization;

namespace LightNvr.Streams;

/// <summary>The camera list as the API serves and reads it, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CameraListView))]
[JsonSerializable(typeof(CameraView))]
[JsonSerializable(typeof(Camera))]
public partial class StreamsJson : JsonSerializerContext;
