using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace LightNvr.Web;

/// <summary>The error bodies every route may answer with (problem+json), source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal partial class ApiJson : JsonSerializerContext;
