using System.Text.Json.Serialization;

namespace LightNvr.Detection;

/// <summary>Detections, events and the webhook's body, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DetectionsView))]
[JsonSerializable(typeof(EventsView))]
[JsonSerializable(typeof(WebhookPayload))]
internal partial class DetectionJson : JsonSerializerContext;
