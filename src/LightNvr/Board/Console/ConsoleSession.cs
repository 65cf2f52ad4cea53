using LightNvr.Logging;

namespace LightNvr.Board.Console;

/// <summary>What the maintenance console can ask of the appliance (the real ones are <see cref="BoardActions"/>).</summary>
public interface IMaintenanceActions : IButtonActions
{
    IReadOnlyList<string> Status();
    IReadOnlyList<string> Streams();
    IReadOnlyList<string> Log(int lines);
    IReadOnlyList<string> Addresses();
    /// <summary>Sets the admin password; null when set, else why it was refused.</summary>
    string? SetPassword(string password);
}

/// <summary>
/// One person at the serial console: the commands and the two multi-line dialogues (passwd asks twice
/// with echo off; factory-reset wants YES typed). Every line it prints passes the redactor.
/// </summary>
public sealed class ConsoleSession(IMaintenanceActions actions)
{
    public const string Prompt = "lightnvr> ";
    public const string Banner = "LightNVR maintenance console. Type help for the commands.";
    private const int DefaultLogLines = 20;
    private enum Mode { Command, PasswordFirst, PasswordAgain, ConfirmReset }
    private Mode _mode = Mode.Command;
    private string? _firstPassword;

    /// <summary>False while a password is being typed.</summary>
    public bool Echo => _mode is not (Mode.PasswordFirst or Mode.PasswordAgain);

    public string CurrentPrompt => _mode switch
    {
        Mode.PasswordFirst => "New password: ",
        Mode.PasswordAgain => "Again: ",
        Mode.ConfirmReset => "Type YES to reset: ",
        _ => Prompt,
    };

    public static IReadOnlyList<string> Help { get; } =
    [
        "help              this list",
        "status            the appliance, go2rtc, the LED and the board",
        "streams           each camera's state",
        "log [N]           the appliance's last N log lines (default 20)",
        "ip                this box's addresses and the status page's URL",
        "restart go2rtc    stop and start go2rtc",
        "passwd            set the admin password (asked twice, not shown)",
        "factory-reset     move the configuration and the password to a backup and restart with defaults",
    ];

    /// <summary>Ctrl-C: back to the command prompt, forgetting a half-typed dialogue.</summary>
    public void Interrupt()
    {
        _mode = Mode.Command;
        _firstPassword = null;
    }

    /// <summary>Answers one line; the answer's lines are already redacted.</summary>
    public async Task<IReadOnlyList<string>> HandleAsync(string line)
    {
        var answer = await AnswerAsync(line);
        return answer.Select(Redactor.Redact).ToList();
    }

    private async Task<IReadOnlyList<string>> AnswerAsync(string line)
    {
        switch (_mode)
        {
            case Mode.PasswordFirst:
                _firstPassword = line;
                _mode = Mode.PasswordAgain;
                return [];
            case Mode.PasswordAgain:
                var first = _firstPassword;
                Interrupt();
                if (first != line) return ["The two passwords differ; nothing changed."];
                return actions.SetPassword(line) is { } refused
                    ? [$"Password refused: {refused}; nothing changed."]
                    : ["Password set. Every signed-in session has ended."];
            case Mode.ConfirmReset:
                Interrupt();
                return line.Trim() == "YES" ? [$"Factory reset: {actions.FactoryReset("the maintenance console")}"] : ["Cancelled; nothing changed."];
        }
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (words)
        {
            case []: return [];
            case ["help" or "?"]: return Help;
            case ["status"]: return actions.Status();
            case ["streams"]: return actions.Streams();
            case ["log"]: return actions.Log(DefaultLogLines);
            case ["log", var n] when int.TryParse(n, out var count) && count is > 0 and <= 500: return actions.Log(count);
            case ["log", _]: return ["log N: N is a number of lines, 1-500."];
            case ["ip"]: return actions.Addresses();
            case ["restart", "go2rtc"]: return [await actions.RestartGo2rtcAsync(LightNvr.Go2rtc.RestartReason.Console)];
            case ["passwd"]:
                _mode = Mode.PasswordFirst;
                return ["Set the admin password (at least 8 characters; Ctrl-C to give up)."];
            case ["factory-reset"]:
                _mode = Mode.ConfirmReset;
                return ["This moves lightnvr.yaml, streams.yaml, go2rtc.yaml and the password into a backup folder",
                        "(nothing is deleted) and restarts the appliance with defaults."];
            default:
                // The line is not repeated: it may be a password typed at the wrong prompt.
                return ["Unknown command. Type help for the commands."];
        }
    }
}
