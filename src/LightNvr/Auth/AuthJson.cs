using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace LightNvr.Auth;

/// <summary>The refusals the login layer writes itself, source-generated.</summary>
[JsonSerializable(typeof(ProblemDetails))]
internal partial class AuthJson : JsonSerializerContext;
