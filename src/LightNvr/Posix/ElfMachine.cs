using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LightNvr.Posix;

/// <summary>What a file is, as far as exec is concerned.</summary>
public enum ExecutableKind
{
    Elf,
    /// <summary>Starts with "#!": exec runs its interpreter, whatever the board.</summary>
    Script,
    /// <summary>Readable, but neither ELF nor script (exec gives ENOEXEC).</summary>
    NotElf,
    /// <summary>Missing, a directory, or no read permission.</summary>
    Unreadable,
}

/// <summary>
/// The result of reading a file's first bytes. <see cref="Architecture"/> is set for ELF files of an
/// architecture we name, e.g. "x86-64" for e_machine 62.
/// </summary>
public sealed record ExecutableInfo(ExecutableKind Kind, int Machine = 0, string? Architecture = null, bool Is64Bit = false)
{
    /// <summary>Whether this process's CPU can exec it natively (a script always can, as far as we can tell).</summary>
    public bool RunsHere => Kind == ExecutableKind.Script
        || (Kind == ExecutableKind.Elf && Architecture is not null && Architecture == ElfMachine.RunningArchitecture);

    /// <summary>"an x86-64 binary", "a script", "not an ELF executable".</summary>
    public string Description => Kind switch
    {
        ExecutableKind.Elf when Architecture is not null => $"{(Architecture.StartsWith('r') ? "a" : "an")} {Architecture} binary",
        ExecutableKind.Elf => $"an ELF binary for an unknown machine (e_machine {Machine})",
        ExecutableKind.Script => "a script",
        ExecutableKind.NotElf => "not an ELF executable",
        _ => "unreadable",
    };

    /// <summary>"/usr/local/bin/go2rtc is an x86-64 binary; this board is aarch64".</summary>
    public string DescribeAgainstThisMachine(string path) =>
        $"{path} is {Description}; this board is {ElfMachine.RunningArchitecture}";
}

/// <summary>
/// Reads the ELF header (magic 7F 'E' 'L' 'F', EI_CLASS at 4, EI_DATA at 5, e_machine at 18) so a
/// wrong download can be reported as "an x86-64 binary on an aarch64 board" instead of the bare
/// ENOEXEC (or, for a dynamically linked foreign binary, the baffling ENOENT) exec gives.
/// </summary>
public static class ElfMachine
{
    /// <summary>The architecture this process runs as, named like the ELF ones ("x86-64", "aarch64").</summary>
    public static string RunningArchitecture => Name(RuntimeInformation.ProcessArchitecture);

    public static string Name(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x86-64",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm or Architecture.Armv6 => "arm",
        Architecture.X86 => "i386",
        Architecture.RiscV64 => "riscv",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    public static string? Name(int eMachine) => eMachine switch
    {
        62 => "x86-64",
        183 => "aarch64",
        40 => "arm",
        3 => "i386",
        243 => "riscv",
        _ => null,
    };

    public static ExecutableInfo Inspect(string path)
    {
        Span<byte> header = stackalloc byte[20];
        int length;
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            length = 0;
            while (length < header.Length)
            {
                var n = RandomAccess.Read(file, header[length..], length);
                if (n == 0) break;
                length += n;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ExecutableInfo(ExecutableKind.Unreadable);
        }
        return Parse(header[..length]);
    }

    public static ExecutableInfo Parse(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith("#!"u8)) return new ExecutableInfo(ExecutableKind.Script);
        if (header.Length < 20 || !header.StartsWith("\u007fELF"u8)) return new ExecutableInfo(ExecutableKind.NotElf);
        var is64 = header[4] == 2; // EI_CLASS: 1 = 32-bit, 2 = 64-bit
        int machine = header[5] == 2 // EI_DATA: 1 = little endian (all our boards), 2 = big endian
            ? BinaryPrimitives.ReadUInt16BigEndian(header[18..])
            : BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
        return new ExecutableInfo(ExecutableKind.Elf, machine, Name(machine), is64);
    }
}
