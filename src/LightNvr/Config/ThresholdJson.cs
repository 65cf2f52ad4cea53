using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightNvr.Config;

/// <summary>
/// <c>detect.threshold</c> is held as text (see DetectSettings) but is a number in JSON: reads a number
/// or a string, writes a number when it is one. CameraRules reports a value that is not a number.
/// </summary>
public sealed class ThresholdJson : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("threshold: expected a number from 0 to 1"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) writer.WriteNumberValue(d);
        else writer.WriteStringValue(value);
    }
}
