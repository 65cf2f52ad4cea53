using System.Runtime.InteropServices;
using LightNvr.Posix;

namespace LightNvr.Tests.Posix;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ElfMachineTests
{
    [Test]
    public async Task Bin_sh_is_this_machines_architecture()
    {
        var info = ElfMachine.Inspect("/bin/sh");
        await Assert.That(info.Kind).IsEqualTo(ExecutableKind.Elf);
        await Assert.That(info.Is64Bit).IsTrue();
        await Assert.That(info.Architecture).IsEqualTo(ElfMachine.RunningArchitecture);
        await Assert.That(info.RunsHere).IsTrue();
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            await Assert.That(info.Machine).IsEqualTo(62);
            await Assert.That(info.Description).IsEqualTo("an x86-64 binary");
        }
    }

    [Test]
    public async Task A_foreign_binary_is_named_against_this_board()
    {
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = 2; // 64-bit
        header[5] = 1; // little endian
        header[18] = 183; // EM_AARCH64
        var info = ElfMachine.Parse(header);
        await Assert.That(info.Architecture).IsEqualTo("aarch64");
        await Assert.That(info.Description).IsEqualTo("an aarch64 binary");
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            await Assert.That(info.RunsHere).IsFalse();
            await Assert.That(info.DescribeAgainstThisMachine("/usr/local/bin/go2rtc"))
                .IsEqualTo("/usr/local/bin/go2rtc is an aarch64 binary; this board is x86-64");
        }
        header[18] = 62;
        await Assert.That(ElfMachine.Parse(header).Architecture).IsEqualTo("x86-64");
        header[18] = 40;
        header[4] = 1;
        await Assert.That(ElfMachine.Parse(header) with { }).IsEqualTo(new ExecutableInfo(ExecutableKind.Elf, 40, "arm", false));
        header[18] = 0x34; // unknown
        await Assert.That(ElfMachine.Parse(header).Description).Contains("unknown machine");
    }

    [Test]
    public async Task Scripts_text_and_missing_files_are_told_apart()
    {
        var dir = Child.TempDir();
        try
        {
            var script = Path.Combine(dir, "script");
            File.WriteAllText(script, "#!/bin/sh\necho hi\n");
            var text = Path.Combine(dir, "text");
            File.WriteAllText(text, "just some text that is longer than twenty bytes\n");
            var tiny = Path.Combine(dir, "tiny");
            File.WriteAllBytes(tiny, "\u007fELF"u8.ToArray());

            await Assert.That(ElfMachine.Inspect(script).Kind).IsEqualTo(ExecutableKind.Script);
            await Assert.That(ElfMachine.Inspect(script).Description).IsEqualTo("a script");
            await Assert.That(ElfMachine.Inspect(text).Kind).IsEqualTo(ExecutableKind.NotElf);
            await Assert.That(ElfMachine.Inspect(text).Description).IsEqualTo("not an ELF executable");
            await Assert.That(ElfMachine.Inspect(tiny).Kind).IsEqualTo(ExecutableKind.NotElf);
            await Assert.That(ElfMachine.Inspect(Path.Combine(dir, "missing")).Kind).IsEqualTo(ExecutableKind.Unreadable);
            await Assert.That(ElfMachine.Inspect(dir).Kind).IsEqualTo(ExecutableKind.Unreadable);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
