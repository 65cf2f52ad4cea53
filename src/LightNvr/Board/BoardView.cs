using LightNvr.Health;

namespace LightNvr.Board;

/// <summary>
/// The board as the status page shows it (<c>GET /api/board</c>): the LED's pattern and what drives it,
/// the reset button's last gesture, the maintenance console's line.
/// </summary>
public sealed record BoardView(string Led, IReadOnlyList<int> OnOffMs, string Meaning, string LastButtonPress,
    string LedDevice, string Button, string Console)
{
    /// <summary>No gesture seen since the appliance started (or no button wired).</summary>
    public const string NoPress = "none";

    public static BoardView From(HealthSnapshot health, int configErrors, bool passwordSet, BoardState? board = null)
    {
        board ??= new BoardState();
        var pattern = PatternOf(health, configErrors, passwordSet, board);
        return new BoardView(pattern.Word, pattern.OnOffMs, pattern.Meaning, board.LastGesture, board.LedDevice, board.ButtonDevice, board.ConsoleDevice);
    }

    public static LedPattern PatternOf(HealthSnapshot health, int configErrors, bool passwordSet, BoardState board) =>
        LedPatterns.For(StateOf(health, configErrors, passwordSet), board.ResetArmed);

    public static ApplianceState StateOf(HealthSnapshot h, int configErrors, bool passwordSet) => new(
        h.Go2rtc.Phase,
        h.Streams.Count(s => s.State == Liveness.Live),
        h.Streams.Count(s => s.State is Liveness.Stalled or Liveness.Error or Liveness.Unreachable),
        configErrors,
        h.Failed is not null,
        passwordSet);
}

/// <summary>Whether an admin password exists (the LED asks for one until it does).</summary>
public sealed record PasswordPresence(Func<bool> IsSet);
