using System.Text.Json.Serialization;
using LightNvr.Status;
using LightNvr.Streams;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http;

namespace LightNvr;

/// <summary>Every type the appliance serves or reads as JSON: source-generated, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(LightNvr.Health.HealthSnapshot))]
[JsonSerializable(typeof(CameraListView))]
[JsonSerializable(typeof(CameraView))]
[JsonSerializable(typeof(Camera))]
[JsonSerializable(typeof(LightNvr.Detection.DetectionsView))]
[JsonSerializable(typeof(LightNvr.Detection.EventsView))]
[JsonSerializable(typeof(LightNvr.Detection.WebhookPayload))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(LightNvr.Web.RestartResult))]
[JsonSerializable(typeof(LightNvr.Web.ReregisterResult))]
[JsonSerializable(typeof(LightNvr.Web.DiagnosticsHealth))]
[JsonSerializable(typeof(LightNvr.Board.BoardView))]
[JsonSerializable(typeof(LightNvr.Web.StatusView))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal partial class AppJsonContext : JsonSerializerContext;
