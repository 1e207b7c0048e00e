// Writes completions/igtg.{bash,zsh,fish} from the built command tree (run after `npm run build`).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const files = { bash: 'completions/igtg.bash', zsh: 'completions/_igtg', fish: 'completions/igtg.fish' };
for (const [shell, file] of Object.entries(files)) {
  const script = execFileSync(process.execPath, ['bin/igtg.js', 'completion', shell], {
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  writeFileSync(file, script);
  console.log(`wrote ${file}`);
}
