import { describe, expect, it } from 'vitest';
import { environmentFileText, unitText } from '../../src/bridge/service/systemd-unit.js';

const exec = (node: string, bin = '/opt/igtg/bin/igtg.js') =>
  /^ExecStart=(.*)$/m.exec(unitText({ profile: 'default', node, bin, envFile: '/home/a/.igtg/bridge.env' }))![1];

describe('the systemd user unit', () => {
  it('writes plain paths as they are and quotes paths with spaces', () => {
    expect(exec('/usr/bin/node')).toBe('/usr/bin/node /opt/igtg/bin/igtg.js --profile default bridge');
    expect(exec('/home/a/My Tools/node')).toBe(
      '"/home/a/My Tools/node" /opt/igtg/bin/igtg.js --profile default bridge',
    );
  });

  it('doubles % and $ so systemd takes them literally, quoted or not', () => {
    expect(exec('/srv/a%hb/node')).toBe('/srv/a%%hb/node /opt/igtg/bin/igtg.js --profile default bridge');
    // In the program's own path systemd substitutes no variables: its $ stays single.
    expect(exec('/srv/cost$HOME/node')).toBe('"/srv/cost$HOME/node" /opt/igtg/bin/igtg.js --profile default bridge');
    expect(exec('/usr/bin/node', '/srv/cost$HOME/igtg.js')).toBe(
      '/usr/bin/node "/srv/cost$$HOME/igtg.js" --profile default bridge',
    );
    expect(exec('/srv/say "hi"\\/node')).toBe(
      '"/srv/say \\"hi\\"\\\\/node" /opt/igtg/bin/igtg.js --profile default bridge',
    );
    const unit = unitText({ profile: 'p', node: '/n', bin: '/b', envFile: '/home/50%/bridge.env' });
    expect(unit).toContain('EnvironmentFile=-/home/50%%/bridge.env');
  });
});

describe('the environment file', () => {
  it('keeps IGTG_* settings, IGTG_SECRETS included, and never a secret', () => {
    const text = environmentFileText(
      {
        IGTG_SECRETS: 'file',
        IGTG_HOME: '/srv/igtg',
        IGTG_TELEGRAM_TOKEN: '123:abc',
        IGTG_INSTAGRAM_PASSWORD: 'hunter2',
        IGTG_SESSION: 'x',
        PATH: '/usr/bin',
      },
      'default',
    );
    expect(text.split('\n').slice(1)).toEqual(['IGTG_PROFILE=default', 'IGTG_HOME=/srv/igtg', 'IGTG_SECRETS=file', '']);
  });
});
