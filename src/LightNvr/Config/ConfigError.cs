namespace LightNvr.Config;

/// <summary>One problem in a config file, located so a person can go straight to it.</summary>
/// <param name="Path">The field's path in the file, e.g. <c>go2rtc.api_port</c>.</param>
public sealed record ConfigError(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Path}: {Message}" : $"{File}: {Path}: {Message}";
}
