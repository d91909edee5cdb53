import { describe, expect, it } from '@jest/globals';
import { withMentions } from './mentions';

describe('withMentions', () => {
  it('turns a typed @id into the service mention, leaving sentence punctuation outside it', () => {
    expect(withMentions('Second supplier quoted; @admin-1 please approve.')).toBe('Second supplier quoted; <@admin-1> please approve.');
    expect(withMentions('@ada, and @project-manager@demo.')).toBe('<@ada>, and <@project-manager@demo>.');
  });

  it('leaves an e-mail address, a lone @ and an existing mention alone', () => {
    expect(withMentions('write to ada@example.org')).toBe('write to ada@example.org');
    expect(withMentions('meet @ 10')).toBe('meet @ 10');
    expect(withMentions('already <@bob> here')).toBe('already <@bob> here');
    expect(withMentions('@!')).toBe('@!');
  });
});
