using System.Text.Json.Serialization;
using LightNvr.Board;
using LightNvr.Status;

namespace LightNvr.Web;

/// <summary>What the status page and its actions serve, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(RestartResult))]
[JsonSerializable(typeof(ReregisterResult))]
[JsonSerializable(typeof(DiagnosticsHealth))]
[JsonSerializable(typeof(BoardView))]
[JsonSerializable(typeof(Streams.CameraListView))]
[JsonSerializable(typeof(StatusView))]
internal partial class WebJson : JsonSerializerContext;
