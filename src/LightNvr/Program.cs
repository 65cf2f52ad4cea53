Console.WriteLine(LightNvr.BuildOptions.Version);
