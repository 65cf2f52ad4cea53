namespace LightNvr.Posix;

/// <summary>
/// How a child ended: <see cref="Code"/> (it called exit) or <see cref="Signal"/> (a signal killed
/// it); neither only in the odd case where something else in this process reaped our child first. Kept apart because they mean different things to a supervisor: exit
/// code 1 is go2rtc giving up on its config, signal 9 is the OOM killer or us.
/// </summary>
public sealed record ExitStatus(int? Code, int? Signal, bool CoreDumped = false)
{
    public static ExitStatus Exited(int code) => new(code, null);
    public static ExitStatus Killed(int signal, bool coreDumped = false) => new(null, signal, coreDumped);
    public static readonly ExitStatus Unknown = new(null, null);

    /// <summary>Decodes a wait status word (the WIFEXITED/WEXITSTATUS/WTERMSIG macros of sys/wait.h).</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        var termSignal = status & 0x7f;
        if (termSignal == 0) return Exited((status >> 8) & 0xff);
        return Killed(termSignal, (status & 0x80) != 0);
    }

    public bool Success => Code == 0;

    public override string ToString() => (Code, Signal) switch
    {
        ({ } code, _) => $"exit code {code}",
        (_, { } signal) => $"signal {signal} ({SignalName(signal)}){(CoreDumped ? ", core dumped" : "")}",
        _ => "exit status unknown (reaped elsewhere)",
    };

    /// <summary>Linux signal numbers (same on x86-64 and aarch64).</summary>
    public static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP", 2 => "SIGINT", 3 => "SIGQUIT", 4 => "SIGILL", 5 => "SIGTRAP", 6 => "SIGABRT",
        7 => "SIGBUS", 8 => "SIGFPE", 9 => "SIGKILL", 10 => "SIGUSR1", 11 => "SIGSEGV", 12 => "SIGUSR2",
        13 => "SIGPIPE", 14 => "SIGALRM", 15 => "SIGTERM", 16 => "SIGSTKFLT", 17 => "SIGCHLD", 18 => "SIGCONT",
        19 => "SIGSTOP", 20 => "SIGTSTP", 21 => "SIGTTIN", 22 => "SIGTTOU", 23 => "SIGURG", 24 => "SIGXCPU",
        25 => "SIGXFSZ", 26 => "SIGVTALRM", 27 => "SIGPROF", 28 => "SIGWINCH", 29 => "SIGIO", 30 => "SIGPWR",
        31 => "SIGSYS",
        >= 34 and <= 64 => $"SIGRTMIN+{signal - 34}",
        _ => "unknown signal",
    };
}
