using LightNvr.Health;

namespace LightNvr.Board;

/// <summary>The board as the status page shows it (<c>GET /api/board</c>): the LED's pattern and the last reset-button press.</summary>
public sealed record BoardView(string Led, IReadOnlyList<int> OnOffMs, string Meaning, string LastButtonPress)
{
    /// <summary>Until the board issue wires the reset button, no press is ever seen.</summary>
    public const string NoPress = "none";

    public static BoardView From(HealthSnapshot health, int configErrors, bool passwordSet, string lastButtonPress = NoPress)
    {
        var pattern = LedPatterns.For(StateOf(health, configErrors, passwordSet));
        return new BoardView(pattern.Word, pattern.OnOffMs, pattern.Meaning, lastButtonPress);
    }

    public static ApplianceState StateOf(HealthSnapshot h, int configErrors, bool passwordSet) => new(
        h.Go2rtc.Phase,
        h.Streams.Count(s => s.State == Liveness.Live),
        h.Streams.Count(s => s.State is Liveness.Stalled or Liveness.Error or Liveness.Unreachable),
        configErrors,
        h.Failed is not null,
        passwordSet);
}

/// <summary>
/// Whether an admin password exists. The authentication code replaces this registration with the
/// real check; until it lands there is no password concept, so the LED does not ask for one.
/// </summary>
public sealed record PasswordPresence(Func<bool> IsSet)
{
}
