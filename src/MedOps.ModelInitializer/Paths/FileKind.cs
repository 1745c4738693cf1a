using System.Runtime.InteropServices;

namespace MedOps.ModelInitializer.Paths;

/// <summary>What a path is, after following links.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there (or a link points nowhere).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO, socket or device: never model content (reading a FIFO would block forever).</summary>
    Special,
}

/// <summary>
/// Tells regular files from FIFOs, sockets and devices, which .NET reports alike
/// (<see cref="FileAttributes.Normal"/>): with statx(2), whose buffer layout is the same on
/// every Linux architecture, unlike struct stat.
/// </summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;

    /// <summary>The kind of <paramref name="path"/>, links followed.</summary>
    public static FileKind Of(string path)
    {
        if (Directory.Exists(path))
        {
            return FileKind.Directory;
        }
        if (!File.Exists(path))
        {
            return FileKind.Missing;
        }
        return StatxMode(path) switch
        {
            null => FileKind.Regular,
            var mode when (mode & TypeMask) == RegularType => FileKind.Regular,
            var mode when (mode & TypeMask) == DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
    }

    // Null where statx is unavailable (not Linux, a C library without it): the file is then
    // taken as regular, and the size limit still bounds what a device could yield.
    private static int? StatxMode(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var buffer = new byte[256];
        try
        {
            return Statx(AtFdCwd, path, 0, StatxType, buffer) == 0 ? BitConverter.ToUInt16(buffer, ModeOffset) : null;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
