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
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal partial class AppJsonContext : JsonSerializerContext;
